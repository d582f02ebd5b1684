from django.urls import path

from servicepact.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("items/<int:catalog_item_id>/", views.item_page, name="item"),
    path("items/<int:catalog_item_id>/ask/", views.ask, name="ask"),
    path("approvals/", views.approvals, name="approvals"),
    path("requests/<str:request_number>/decide/", views.decide, name="decide"),
    path("requests/<str:request_number>/resolve/", views.resolve, name="resolve"),
    path("tasks/<int:request_task_id>/done/", views.tick, name="tick"),
    path("contracts/<slug:slug>/", views.manage, name="manage"),
    path("contracts/<slug:slug>/new/", views.new_item, name="new_item"),
    path("items/<int:catalog_item_id>/edit/", views.edit_item, name="edit_item"),
]
