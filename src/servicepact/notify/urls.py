from django.urls import path

from servicepact.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("bell/", views.bell, name="bell"),
    path("read/", views.mark_all_read, name="read"),
    path("<int:notice_id>/", views.open_notice, name="open"),
]
