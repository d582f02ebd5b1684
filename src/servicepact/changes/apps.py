from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    name = "servicepact.changes"
    label = "changes"
    verbose_name = _("Change and release management")
