"""The billing pages' forms: logging hours, approving a week, issuing a month's invoice."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

MONTH = r"^[0-9]{4}-[0-9]{2}$"
WEEK = r"^[0-9]{4}-W[0-9]{2}$"


class TimeEntryForm(forms.Form):
    contract = forms.ChoiceField(label=_("Contract"))
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("24"))],
    )
    role = forms.ChoiceField(label=_("Role"))
    ticket = forms.CharField(
        label=_("Ticket, problem or change"),
        required=False,
        max_length=64,
        help_text=_("Its number, like INC0000042, PRB000007 or CHG0000003"),
    )
    activity = forms.CharField(
        label=_("Or an activity"), required=False, max_length=200, help_text=_("For hours on no ticket")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, contracts=(), roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = [(contract.slug, contract.title) for contract in contracts]
        self.fields["role"].choices = [(role, role) for role in roles]

    def clean(self):
        data = super().clean()
        if not data.get("ticket") and not (data.get("activity") or "").strip():
            self.add_error("activity", _("Name the ticket or the activity the hours were spent on."))
        return data


class ApproveWeekForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    week = forms.RegexField(regex=WEEK, widget=forms.HiddenInput)


class IssueInvoiceForm(forms.Form):
    month = forms.RegexField(
        regex=MONTH,
        label=_("Month"),
        help_text=_("Like 2026-03"),
        error_messages={"invalid": _("Give a month like 2026-03.")},
    )
