from django.urls import path

from servicepact.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("contracts/<slug:slug>/", views.article_list, name="list"),
    path("contracts/<slug:slug>/new/", views.new_article, name="new"),
    path("articles/<int:article_id>/", views.article_page, name="article"),
    path("articles/<int:article_id>/edit/", views.edit_article, name="edit"),
    path("articles/<int:article_id>/<slug:step>/", views.article_step, name="step"),
    path("suggest/", views.suggest, name="suggest"),
    path("tickets/<str:number>/link/", views.link, name="link"),
]
