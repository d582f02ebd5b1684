from django.urls import path

from servicepact.major_incidents import views

app_name = "major_incidents"
urlpatterns = [
    path("", views.major_list, name="list"),
    path("declare/", views.declare, name="declare"),
    path("<int:major_id>/", views.major_detail, name="major_incident"),
    path("<int:major_id>/update/", views.post_update, name="update"),
    path("<int:major_id>/services/", views.add_services, name="services"),
    path("<int:major_id>/incidents/", views.link_incidents, name="incidents"),
    path("<int:major_id>/resolve/", views.resolve, name="resolve"),
    path("<int:major_id>/review/", views.review, name="review"),
]
