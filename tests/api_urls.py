"""Only the API's routes, so that the API tests do not depend on the web pages' modules."""

from django.urls import path

from servicepact.api import api

urlpatterns = [path("api/", api.urls)]
