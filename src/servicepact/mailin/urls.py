from django.urls import path

from servicepact.mailin import views

app_name = "mailin"
urlpatterns = [
    path("", views.inbound, name="inbound"),
    path("<int:message_id>/retry/", views.retry, name="retry"),
]
