from django.urls import path

from servicepact.continuity import views

app_name = "continuity"
urlpatterns = [
    path("", views.gaps, name="gaps"),
    path("contracts/<slug:slug>/", views.contract_plans, name="contract"),
    path("contracts/<slug:slug>/plans/new/", views.new_plan, name="new_plan"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/tests/new/", views.new_test, name="new_test"),
]
