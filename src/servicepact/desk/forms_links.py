"""The forms of a ticket's related-tickets panel: link, remove a link, merge as a duplicate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.desk.actions.linking import CHOSEN_KINDS, REASON_MAX


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(str(kind), str(kind)) for kind in CHOSEN_KINDS])
    target = forms.CharField(label=_("Ticket number"), max_length=16)
    reason = forms.CharField(label=_("Why (optional)"), max_length=REASON_MAX, required=False)

    def clean_target(self) -> str:
        return self.cleaned_data["target"].strip().upper()


class UnlinkForm(forms.Form):
    link = forms.IntegerField(label=_("Link"), min_value=1)
    reason = forms.CharField(label=_("Why remove this link?"), max_length=REASON_MAX)


class MergeForm(forms.Form):
    survivor = forms.CharField(label=_("Merge into ticket"), max_length=16)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)
    confirm = forms.BooleanField(
        label=_("Close this ticket for good"),
        error_messages={"required": _("Tick the box to confirm: a merge closes this ticket and cannot be undone.")},
    )

    def clean_survivor(self) -> str:
        return self.cleaned_data["survivor"].strip().upper()
