"""Forms of service level management's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.contracts.models import ContractVersion
from servicepact.desk.models import Ticket
from servicepact.slm.actions import REASON_MAX


class VersionChoice(forms.ModelChoiceField):
    def label_from_instance(self, version: ContractVersion) -> str:
        return _("v%(number)s · %(status)s · from %(start)s") % {
            "number": version.number,
            "status": version.get_status_display(),
            "start": version.effective_from,
        }


def other_versions(ticket: Ticket):
    """The versions of the ticket's contract other than the one it is pinned to, newest first."""
    return (
        ContractVersion.objects.filter(contract_id=ticket.contract_id)
        .exclude(pk=ticket.contract_version_id)
        .order_by("-number")
    )


class RestateForm(forms.Form):
    """Recompute a ticket's clocks under another version of its contract; the version is named by its number."""

    version = VersionChoice(
        label=_("Version"),
        queryset=ContractVersion.objects.none(),
        to_field_name="number",
        error_messages={"invalid_choice": _("Version %(value)s is not another version of this ticket's contract.")},
    )
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data=None, *args, ticket: Ticket, **kwargs):
        kwargs.setdefault("prefix", "restate")
        super().__init__(data, *args, **kwargs)
        self.fields["version"].queryset = other_versions(ticket)
