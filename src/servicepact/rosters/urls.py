from django.urls import path

from servicepact.rosters import views

app_name = "rosters"
urlpatterns = [
    path("", views.on_shift_now, name="now"),
    path("teams/<slug:team_slug>/", views.team_shifts, name="team"),
    path("follow-the-sun/<int:rule_id>/", views.follow_the_sun, name="sun"),
]
