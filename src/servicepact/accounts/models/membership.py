from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REQUESTER = "requester", _("Requester")
    AGENT = "agent", _("Service desk agent")
    RESOLVER = "resolver", _("Resolver")
    TEAM_LEAD = "team_lead", _("Team lead")
    CUSTOMER_MANAGER = "customer_manager", _("Customer manager")
    REPORTING_ANALYST = "reporting_analyst", _("Service reporting analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


class Membership(models.Model):
    """A role a person holds in an organization, optionally within one of its teams."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "team", "role"], name="membership_unique"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        where = self.team or self.organization
        return f"{self.user} · {self.get_role_display()} · {where}"
