from django.urls import path

from servicepact.availability import views

app_name = "availability"
urlpatterns = [
    path("contracts/<slug:slug>/outages/", views.outage_list, name="outages"),
    path("contracts/<slug:slug>/outages/record/", views.record, name="record"),
    path("outages/<int:outage_id>/", views.outage_detail, name="outage"),
    path("outages/<int:outage_id>/end/", views.end, name="end"),
]
