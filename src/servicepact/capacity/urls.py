from django.urls import path

from servicepact.capacity import views

app_name = "capacity"
urlpatterns = [
    path("contracts/<slug:slug>/", views.capacity, name="contract"),
]
