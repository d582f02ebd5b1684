"""The forms of major incidents; each one's fields are the action's arguments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.contracts.models import Contract, Service
from servicepact.problems.forms import TicketNumbersField


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DeclareForm(forms.Form):
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=Contract.objects.none(), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    services = forms.ModelMultipleChoiceField(
        label=_("Affected services"),
        queryset=Service.objects.none(),
        help_text=_("At least one tier-1 service."),
        widget=forms.CheckboxSelectMultiple,
    )
    started_at = forms.DateTimeField(
        label=_("Outage started"), required=False, widget=LocalDateTimeInput(), help_text=_("Now when left empty.")
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    incidents = TicketNumbersField(label=_("Incidents"), required=False)
    update_interval_minutes = forms.IntegerField(
        label=_("Minutes between updates"), initial=60, min_value=5, max_value=1440
    )

    def __init__(self, *args, contracts, services, tickets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        self.fields["services"].queryset = services
        self.fields["services"].label_from_instance = lambda s: f"{s.contract.slug} · {s.name} (tier {s.tier or '–'})"
        self.fields["incidents"].tickets = tickets


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("Update to the customer"), widget=forms.Textarea(attrs={"rows": 4}))
    next_update_minutes = forms.IntegerField(
        label=_("Next update in minutes"), required=False, min_value=5, max_value=1440
    )


class ServicesForm(forms.Form):
    services = forms.ModelMultipleChoiceField(
        label=_("Affected services"), queryset=Service.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services


class IncidentsForm(forms.Form):
    incidents = TicketNumbersField(label=_("Incidents"))

    def __init__(self, *args, tickets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incidents"].tickets = tickets


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("How were the services restored?"), widget=forms.Textarea(attrs={"rows": 3}))
    ended_at = forms.DateTimeField(
        label=_("Outage ended"), required=False, widget=LocalDateTimeInput(), help_text=_("Now when left empty.")
    )


class ReviewForm(forms.Form):
    timeline = forms.CharField(
        label=_("Timeline"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One line per moment: time, then what happened (09:12 Monitoring alerts)."),
    )
    cause = forms.CharField(label=_("Cause"), widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.CharField(
        label=_("Actions"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("One per line.")
    )
