from django.urls import path

from servicepact.problems import views

app_name = "problems"
urlpatterns = [
    path("", views.problem_list, name="list"),
    path("new/", views.new_problem, name="new"),
    path("<int:problem_id>/", views.problem_detail, name="problem"),
    path("<int:problem_id>/diagnose/", views.problem_diagnose, name="diagnose"),
    path("<int:problem_id>/known-error/", views.problem_known_error, name="publish"),
    path("<int:problem_id>/incidents/", views.problem_incidents, name="incidents"),
    path("<int:problem_id>/items/", views.problem_items, name="items"),
    path("<int:problem_id>/fixing-change/", views.problem_fix, name="fix"),
    path("<int:problem_id>/close/", views.problem_close, name="close"),
    path("known-errors/", views.known_error_list, name="known_errors"),
    path("known-errors/<int:known_error_id>/", views.known_error_detail, name="known_error"),
    path("suggestions/", views.suggestion_list, name="suggestions"),
    path("suggestions/<int:suggestion_id>/raise/", views.suggestion_raise, name="suggestion_raise"),
    path("suggestions/<int:suggestion_id>/dismiss/", views.suggestion_dismiss, name="suggestion_dismiss"),
    path("recurrence/<slug:slug>/", views.recurrence, name="recurrence"),
    path("tickets/<str:number>/known-error/", views.ticket_known_error, name="ticket_link"),
]
