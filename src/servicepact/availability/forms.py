"""The forms of the outage page: record an outage, end one. Times are read in the viewer's time zone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.availability.models.outage import REFERENCE_LENGTH
from servicepact.contracts.models import Service

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RecordOutageForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none(), empty_label=_("Choose…"))
    start = forms.DateTimeField(label=_("Start"), widget=LocalDateTimeInput(), input_formats=LOCAL_FORMATS)
    end = forms.DateTimeField(
        label=_("End"),
        required=False,
        widget=LocalDateTimeInput(),
        input_formats=LOCAL_FORMATS,
        help_text=_("Leave empty while the service is down."),
    )
    planned = forms.BooleanField(label=_("Planned work"), required=False)
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=REFERENCE_LENGTH,
        help_text=_("The ticket, change or record the outage comes from."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, services=None, **kwargs):
        kwargs.setdefault("prefix", "record")
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services if services is not None else Service.objects.none()


class EndOutageForm(forms.Form):
    end = forms.DateTimeField(label=_("Ended at"), widget=LocalDateTimeInput(), input_formats=LOCAL_FORMATS)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "end")
        super().__init__(*args, **kwargs)
