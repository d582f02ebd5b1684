"""Forms of on-call pages: starting a page, a rotation, an override, a team's escalation policy."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.oncall.models import RotationPeriod, StepTarget

LAYERS = [(1, _("1: on call")), (2, _("2: secondary"))]
NO_STEP = [("", _("(no step)"))]


class StartPageForm(forms.Form):
    team = forms.ModelChoiceField(queryset=None, label=_("Team"))
    title = forms.CharField(label=_("What is wrong"), max_length=200)
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class RotationForm(forms.Form):
    layer = forms.TypedChoiceField(label=_("Layer"), choices=LAYERS, coerce=int)
    name = forms.CharField(label=_("Name"), max_length=100)
    period = forms.ChoiceField(label=_("Turn"), choices=RotationPeriod.choices)
    handoff_time = forms.TimeField(
        label=_("Hand-off time (team's zone)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    starts_on = forms.DateField(label=_("First turn on"), widget=forms.DateInput(attrs={"type": "date"}))
    members = forms.CharField(
        label=_("Members, in turn order"),
        help_text=_("E-mail addresses of the team's people, one a line or separated by commas."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people

    def clean_members(self):
        found = []
        for address in self.cleaned_data["members"].replace(",", "\n").split():
            person = self.people.filter(email__iexact=address).first()
            if person is None:
                raise forms.ValidationError(_("%(email)s is no member of this team.") % {"email": address})
            found.append(person)
        return found


class OverrideForm(forms.Form):
    layer = forms.TypedChoiceField(label=_("Layer"), choices=LAYERS, coerce=int)
    person = forms.ModelChoiceField(queryset=None, label=_("On call instead"))
    starts_at = forms.DateTimeField(label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class PolicyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    step1 = forms.ChoiceField(label=_("Step 1 pages (at once)"), choices=StepTarget.choices)
    step2 = forms.ChoiceField(label=_("Step 2 pages"), choices=NO_STEP + list(StepTarget.choices), required=False)
    delay2 = forms.IntegerField(label=_("minutes later"), min_value=0, max_value=1440, initial=10, required=False)
    step3 = forms.ChoiceField(label=_("Step 3 pages"), choices=NO_STEP + list(StepTarget.choices), required=False)
    delay3 = forms.IntegerField(label=_("minutes later"), min_value=0, max_value=1440, initial=15, required=False)

    def steps(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        found = [(data["step1"], 0)]
        for target, delay in (("step2", "delay2"), ("step3", "delay3")):
            if data.get(target):
                found.append((data[target], data.get(delay) or 0))
        return found
