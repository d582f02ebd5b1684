"""The capacity page's form: the months, the team, the staffing assumptions and a draft to compare."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

MONTH = r"[0-9]{4}-[0-9]{2}"


class CapacityForm(forms.Form):
    first = forms.RegexField(
        regex=MONTH,
        label=_("First month"),
        help_text=_("Like 2026-01"),
        error_messages={"invalid": _("Give a month like 2026-01.")},
    )
    last = forms.RegexField(
        regex=MONTH,
        label=_("Last month"),
        help_text=_("Included"),
        error_messages={"invalid": _("Give a month like 2026-06.")},
    )
    team = forms.ChoiceField(label=_("Team"), required=False)
    service_level = forms.DecimalField(
        label=_("Service level"),
        initial=Decimal("0.8"),
        help_text=_("Share of tickets answered within the response target"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("0.99"))],
        max_digits=4,
        decimal_places=2,
    )
    max_occupancy = forms.DecimalField(
        label=_("Maximum occupancy"),
        initial=Decimal("0.85"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1"))],
        max_digits=4,
        decimal_places=2,
    )
    shrinkage = forms.DecimalField(
        label=_("Shrinkage"),
        initial=Decimal("0.3"),
        help_text=_("Share of scheduled time lost to breaks, training and absence"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.95"))],
        max_digits=4,
        decimal_places=2,
    )
    draft = forms.ChoiceField(label=_("Compare with a draft"), required=False)

    def __init__(self, *args, teams=(), drafts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("Every team"))] + [(team.slug, team.name) for team in teams]
        self.fields["draft"].choices = [("", _("No draft"))] + [
            (str(version.number), _("Draft version %(number)d") % {"number": version.number}) for version in drafts
        ]

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            self.add_error("last", _("The last month comes before the first."))
        return data
