"""The form of an outgoing webhook endpoint."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.webhooks.models import WebhookEvent


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(label=_("URL"), max_length=500, help_text=_("An http or https address that takes POST."))
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
