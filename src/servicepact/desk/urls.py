from django.urls import path

from servicepact.desk import views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    path("tickets/<str:number>/", views.ticket_detail, name="ticket"),
]
