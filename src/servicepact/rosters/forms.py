"""Forms of the shift pages: a pattern, a one-off change, a roster week, a swap, a handover, follow-the-sun."""

from django import forms
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]
TIME = forms.TimeInput(attrs={"type": "time"})
DATE = forms.DateInput(attrs={"type": "date"})


def pattern_label(pattern) -> str:
    return f"{pattern.name} ({pattern.starts_at:%H:%M}–{pattern.ends_at:%H:%M})"


class InstantForm(forms.Form):
    at = forms.DateTimeField(
        label=_("At"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class PatternForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Starts on"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    starts_at = forms.TimeField(label=_("Starts at"), widget=TIME)
    ends_at = forms.TimeField(label=_("Ends at"), widget=TIME, help_text=_("At or before the start: the next day."))
    holidays = forms.CharField(
        label=_("Holidays of"), max_length=8, required=False, help_text=_("A country code such as CN, IN, DE or US.")
    )


class ChangeForm(forms.Form):
    pattern = forms.ModelChoiceField(queryset=None, label=_("Shift"))
    date = forms.DateField(label=_("Date"), widget=DATE)
    off = forms.BooleanField(label=_("No shift that day"), required=False)
    starts_at = forms.TimeField(label=_("Starts at"), widget=TIME, required=False)
    ends_at = forms.TimeField(label=_("Ends at"), widget=TIME, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, patterns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pattern"].queryset = patterns
        self.fields["pattern"].label_from_instance = pattern_label


class RosterForm(forms.Form):
    pattern = forms.ModelChoiceField(queryset=None, label=_("Shift"))
    week = forms.DateField(label=_("Week of (a Monday)"), widget=DATE)
    person = forms.ModelChoiceField(queryset=None, label=_("Person"))

    def __init__(self, *args, patterns=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pattern"].queryset = patterns
        self.fields["pattern"].label_from_instance = pattern_label
        self.fields["person"].queryset = people


class SwapForm(forms.Form):
    pattern = forms.ModelChoiceField(queryset=None, label=_("Shift"))
    date = forms.DateField(label=_("Shift of"), widget=DATE)
    away = forms.ModelChoiceField(queryset=None, label=_("Rostered person"))
    cover = forms.ModelChoiceField(queryset=None, label=_("Works it instead"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, patterns=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pattern"].queryset = patterns
        self.fields["pattern"].label_from_instance = pattern_label
        self.fields["away"].queryset = people
        self.fields["cover"].queryset = people


class HandoverForm(forms.Form):
    note = forms.CharField(
        label=_("Handover note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the next team must know; it goes on every ticket handed over."),
    )


class SunForm(forms.Form):
    teams = forms.CharField(
        label=_("Teams, in order"),
        required=False,
        help_text=_("Team slugs, one a line, in the order the sun reaches them; empty ends follow-the-sun."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = teams

    def clean_teams(self):
        found = []
        for slug in self.cleaned_data["teams"].replace(",", "\n").split():
            team = self.teams.filter(slug=slug).first()
            if team is None:
                raise forms.ValidationError(_("%(slug)s is no team you see.") % {"slug": slug})
            found.append(team)
        return found
