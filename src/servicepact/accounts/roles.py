"""The vocabulary of standing: the kinds of organization and the roles a person holds in one.

Kept apart from the models so that the access layer (``servicepact.permissions``), which every tenant
model's manager uses, can name roles without importing the models it serves.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    PROVIDER = "provider", _("Provider")
    VENDOR = "vendor", _("Vendor")


class Role(models.TextChoices):
    REQUESTER = "requester", _("Requester")
    AGENT = "agent", _("Service desk agent")
    RESOLVER = "resolver", _("Resolver")
    TEAM_LEAD = "team_lead", _("Team lead")
    CUSTOMER_MANAGER = "customer_manager", _("Customer manager")
    REPORTING_ANALYST = "reporting_analyst", _("Service reporting analyst")
    ADMINISTRATOR = "administrator", _("Administrator")
