from django.urls import path

from servicepact.oncall import views

app_name = "oncall"
urlpatterns = [
    path("pages/", views.page_list, name="pages"),
    path("pages/<int:page_id>/", views.page_detail, name="page"),
    path("pages/<int:page_id>/answer/", views.page_answer, name="answer"),
    path("link/<str:token>/", views.page_link, name="link"),
    path("teams/<slug:team_slug>/", views.team_oncall, name="team"),
]
