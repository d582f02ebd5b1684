from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "servicepact.history"
    label = "history"
    verbose_name = _("Record history")
