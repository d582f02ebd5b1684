from django.urls import path

from servicepact.runtime import views

app_name = "runtime"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
