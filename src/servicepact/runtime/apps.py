from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from servicepact.runtime.generation import installed_after_migrate


class RuntimeConfig(AppConfig):
    name = "servicepact.runtime"
    label = "runtime"
    verbose_name = _("Runtime")

    def ready(self) -> None:
        # Every migrate, including a test database's creation, puts the caches' triggers (back) in place.
        post_migrate.connect(installed_after_migrate, sender=self, dispatch_uid="runtime-generation-triggers")
