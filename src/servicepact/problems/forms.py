"""The forms of problem management; each one's fields are the action's arguments."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.contracts.models import Contract, Service
from servicepact.desk.models import Ticket
from servicepact.problems.models import Cause, RecurrenceSettings

NUMBERS = re.compile(r"[\s,;]+")


class TicketNumbersField(forms.CharField):
    """Ticket numbers separated by spaces or commas, each found among the tickets the person sees."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", _("Ticket numbers, separated by spaces or commas (INC0000123 INC0000124)."))
        super().__init__(*args, **kwargs)
        self.tickets = Ticket.objects.none()

    def clean(self, value):
        value = super().clean(value)
        numbers = [number.upper() for number in NUMBERS.split(value or "") if number]
        if not numbers:
            return []
        found = {ticket.number: ticket for ticket in self.tickets.filter(number__in=numbers)}
        missing = [number for number in numbers if number not in found]
        if missing:
            raise forms.ValidationError(_("No such ticket: %(numbers)s.") % {"numbers": ", ".join(missing)})
        return [found[number] for number in dict.fromkeys(numbers)]


class ProblemForm(forms.Form):
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=Contract.objects.none(), empty_label=None)
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), required=False, empty_label=_("the first incident's")
    )
    category = forms.CharField(label=_("Category"), max_length=64, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    incidents = TicketNumbersField(label=_("Incidents"), required=False)

    def __init__(self, *args, contracts, services, tickets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda service: f"{service.contract.slug} · {service.key}"
        self.fields["incidents"].tickets = tickets


class DiagnoseForm(forms.Form):
    cause = forms.ChoiceField(label=_("Kind of cause"), choices=Cause.choices)
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    workaround = forms.CharField(label=_("Workaround"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class KnownErrorForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    symptoms = forms.CharField(label=_("Symptoms"), widget=forms.Textarea(attrs={"rows": 3}))
    workaround = forms.CharField(
        label=_("Workaround"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The problem's workaround when left empty."),
    )
    keywords = forms.CharField(label=_("Keywords"), max_length=300, required=False, help_text=_("Separated by commas."))


class IncidentsForm(forms.Form):
    incidents = TicketNumbersField(label=_("Incidents"))

    def __init__(self, *args, tickets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incidents"].tickets = tickets


class ClosureForm(forms.Form):
    closure = forms.CharField(label=_("Why close it?"), widget=forms.Textarea(attrs={"rows": 2}))


class ItemsForm(forms.Form):
    items = forms.CharField(
        label=_("Configuration items"), max_length=500, help_text=_("Item ids, separated by commas (sap-db, sap-app).")
    )

    def clean_items(self) -> list[str]:
        return [key for key in NUMBERS.split(self.cleaned_data["items"]) if key]


class FixForm(forms.Form):
    change = forms.CharField(label=_("Change"), max_length=16, help_text=_("The change's number (CHG0000042)."))

    def __init__(self, *args, changes, **kwargs):
        super().__init__(*args, **kwargs)
        self.changes = changes

    def clean_change(self):
        number = self.cleaned_data["change"].strip().upper()
        digits = number.removeprefix("CHG")
        found = None
        if digits.isascii() and digits.isdigit() and len(digits) < 18:
            found = self.changes.filter(pk=int(digits)).first()
        if found is None:
            raise forms.ValidationError(_("No such change: %(number)s.") % {"number": number})
        return found


class RaiseSuggestionForm(forms.Form):
    title = forms.CharField(label=_("Problem title"), max_length=200)


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Why are these incidents no problem?"), max_length=300)


class RecurrenceForm(forms.ModelForm):
    class Meta:
        model = RecurrenceSettings
        fields = ["threshold", "window_days"]
