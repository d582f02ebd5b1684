from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class RoutingRule(models.Model):
    """A line of the responsibility matrix: tickets of this contract, service and category go to a queue.

    The matching rule with the lowest precedence wins; a rule with no service and no category is the
    contract's default. The destination is a team's queue, or the requester ("the user's queue").
    """

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="routing_rules")
    service = models.ForeignKey(
        "contracts.Service", on_delete=models.CASCADE, null=True, blank=True, related_name="routing_rules"
    )
    category = models.CharField(_("category"), max_length=64, blank=True)
    precedence = models.PositiveIntegerField(_("precedence"), default=100)
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="routing_rules"
    )
    to_requester = models.BooleanField(
        _("back to the requester"),
        default=False,
        help_text=_("The requester's own IT must act: the ticket waits on the customer."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "precedence", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        target = _("requester") if self.to_requester else self.team
        return f"{self.contract.slug}: {self.service or '*'} / {self.category or '*'} → {target}"

    def clean(self) -> None:
        if bool(self.team_id) == self.to_requester:
            raise ValidationError({"team": _("Choose exactly one destination: a team, or the requester.")})
