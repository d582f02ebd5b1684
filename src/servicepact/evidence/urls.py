from django.urls import path

from servicepact.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.checkpoint_list, name="checkpoints"),
    path("key.pem", views.public_key, name="public_key"),
    path("<int:sequence>/<slug:slug>.json", views.contract_copy, name="copy"),
    path("events/<slug:slug>.jsonl", views.contract_events, name="events"),
]
