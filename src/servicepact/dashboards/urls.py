from django.urls import path

from servicepact.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("lead/", views.lead, name="lead"),
    path("customer/", views.customer, name="customer"),
]
