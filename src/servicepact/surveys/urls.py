from django.urls import path

from servicepact.surveys import views

app_name = "surveys"
urlpatterns = [
    path("surveys/<str:token>/", views.answer, name="answer"),
    path("tickets/<str:number>/survey/", views.answer_from_portal, name="answer_from_portal"),
    path("contracts/<slug:slug>/satisfaction/", views.results, name="results"),
    path("contracts/<slug:slug>/satisfaction/rounds/", views.open_round, name="open_round"),
    path("satisfaction/rounds/<int:round_id>/", views.round_page, name="round"),
]
