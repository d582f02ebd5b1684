from django.urls import path

from servicepact.cmdb import views

app_name = "cmdb"
urlpatterns = [
    path("", views.item_list, name="items"),
    path("new/", views.new_item, name="new_item"),
    path("import/", views.import_items, name="import"),
    path("export/<slug:slug>/", views.export, name="export"),
    path("<int:item_id>/", views.item_detail, name="item"),
    path("<int:item_id>/edit/", views.edit_item, name="edit_item"),
    path("<int:item_id>/relate/", views.relate, name="relate"),
    path("relationships/<int:relationship_id>/delete/", views.unrelate, name="unrelate"),
    path("tickets/<str:number>/link/", views.link_ticket_item, name="link_ticket"),
    path("tickets/<str:number>/unlink/<int:item_id>/", views.unlink_ticket_item, name="unlink_ticket"),
]
