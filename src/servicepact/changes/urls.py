from django.urls import path

from servicepact.changes import views

app_name = "changes"
urlpatterns = [
    path("", views.change_list, name="list"),
    path("new/", views.new_change, name="new"),
    path("calendar/", views.calendar, name="calendar"),
    path("<int:change_id>/", views.change_detail, name="change"),
    path("<int:change_id>/submit/", views.submit, name="submit"),
    path("<int:change_id>/decide/", views.decide, name="decide"),
    path("<int:change_id>/start/", views.start, name="start"),
    path("<int:change_id>/finish/", views.finish, name="finish"),
    path("<int:change_id>/review/", views.review, name="review"),
    path("<int:change_id>/cancel/", views.cancel, name="cancel"),
    path("<int:change_id>/task/", views.add_task, name="task"),
    path("<int:change_id>/tasks/<int:task_id>/done/", views.complete_task, name="task_done"),
    path("<int:change_id>/link/", views.link_ticket, name="link"),
    path("releases/", views.release_list, name="releases"),
    path("releases/new/", views.new_release, name="new_release"),
    path("releases/<int:release_id>/", views.release_detail, name="release"),
    path("releases/<int:release_id>/deploy/", views.deploy, name="deploy"),
    path("releases/<int:release_id>/add/", views.add_change, name="add_change"),
]
