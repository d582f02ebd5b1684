from django.urls import path

from servicepact.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("<slug:slug>/", views.contract_detail, name="contract"),
    path("<slug:slug>/versions/new/", views.register, name="register"),
    path("<slug:slug>/versions/<int:version>/", views.version_detail, name="version"),
    path("<slug:slug>/versions/<int:version>/sign/", views.sign, name="sign"),
]
