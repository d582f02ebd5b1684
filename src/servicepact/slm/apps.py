from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlmConfig(AppConfig):
    name = "servicepact.slm"
    label = "slm"
    verbose_name = _("Service level management")
