from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.accounts.roles import Role
from servicepact.permissions.querysets import AccessQuerySet


class Membership(models.Model):
    """A role a person holds in an organization, optionally within one of its teams.

    A role counts only in the person's own organization: a membership in another organization gives no
    standing (see ``servicepact.permissions.principal``).
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    objects = AccessQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "team", "role"], name="membership_unique"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        where = self.team or self.organization
        return f"{self.user} · {self.get_role_display()} · {where}"
