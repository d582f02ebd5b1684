"""The forms of change and release management; datetimes are read in the viewer's time zone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.changes.models import ChangeKind, Environment, LinkRelation, Outcome

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ChangeForm(forms.Form):
    contract = forms.ModelChoiceField(queryset=None, label=_("Contract"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ChangeKind.choices, initial=ChangeKind.NORMAL)
    template = forms.ModelChoiceField(queryset=None, label=_("Standard change template"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    items = forms.CharField(
        label=_("Configuration items"), help_text=_("Item ids, separated by commas or spaces."), max_length=4000
    )
    planned_start = forms.DateTimeField(label=_("Planned start"), widget=DATETIME)
    planned_end = forms.DateTimeField(label=_("Planned end"), widget=DATETIME)
    implementation_plan = forms.CharField(
        label=_("Implementation plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    backout_plan = forms.CharField(label=_("Back-out plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, contracts, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        self.fields["template"].queryset = templates

    def item_keys(self) -> list[str]:
        return [key for key in self.cleaned_data["items"].replace(",", " ").split() if key]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class FinishForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReviewForm(forms.Form):
    review = forms.CharField(label=_("Post-implementation review"), widget=forms.Textarea(attrs={"rows": 3}))


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)


class LinkTicketForm(forms.Form):
    ticket = forms.CharField(label=_("Ticket number"), max_length=16)
    relation = forms.ChoiceField(label=_("The change"), choices=LinkRelation.choices)


class ReleaseForm(forms.Form):
    contract = forms.ModelChoiceField(queryset=None, label=_("Contract"))
    name = forms.CharField(label=_("Name"), max_length=120)
    version = forms.CharField(label=_("Version"), max_length=40)
    notes = forms.CharField(label=_("Release notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts


class DeployForm(forms.Form):
    environment = forms.ChoiceField(label=_("Environment"), choices=Environment.choices)
    succeeded = forms.BooleanField(label=_("Succeeded"), required=False, initial=True)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)


class AddChangeForm(forms.Form):
    change = forms.IntegerField(label=_("Change number"), min_value=1)
