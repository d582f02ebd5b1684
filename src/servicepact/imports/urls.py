from django.urls import path

from servicepact.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("new/", views.new_import, name="new"),
    path("<int:run_id>/", views.run_detail, name="run"),
    path("<int:run_id>/progress/", views.run_progress, name="progress"),
]
