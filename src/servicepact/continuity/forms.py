"""The forms of the continuity pages: write a service's plan, record a test of it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.continuity.actions import MINUTES_MAX
from servicepact.continuity.models import ExerciseResult
from servicepact.contracts.models import Service


class PlanForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none(), empty_label=_("Choose…"))
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Recovery steps"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    rto_minutes = forms.IntegerField(
        label=_("Recovery time objective (minutes)"),
        required=False,
        min_value=0,
        max_value=MINUTES_MAX,
        help_text=_("Leave empty for the service tier's."),
    )
    rpo_minutes = forms.IntegerField(
        label=_("Recovery point objective (minutes)"),
        required=False,
        min_value=0,
        max_value=MINUTES_MAX,
        help_text=_("Leave empty for the service tier's."),
    )

    def __init__(self, *args, services=None, **kwargs):
        kwargs.setdefault("prefix", "plan")
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services if services is not None else Service.objects.none()


class ExerciseForm(forms.Form):
    tested_on = forms.DateField(label=_("Tested on"), widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.ChoiceField(label=_("Result"), choices=[("", _("Choose…")), *ExerciseResult.choices])
    recovery_minutes = forms.IntegerField(
        label=_("Recovery time achieved (minutes)"), required=False, min_value=0, max_value=MINUTES_MAX
    )
    data_loss_minutes = forms.IntegerField(
        label=_("Data lost (minutes)"), required=False, min_value=0, max_value=MINUTES_MAX
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "test")
        super().__init__(*args, **kwargs)
