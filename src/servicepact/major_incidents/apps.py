from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MajorIncidentsConfig(AppConfig):
    name = "servicepact.major_incidents"
    label = "major_incidents"
    verbose_name = _("Major incidents")
