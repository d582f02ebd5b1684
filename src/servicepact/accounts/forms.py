"""Forms of the person's own pages: log in by e-mail, preferences, API tokens."""

import zoneinfo
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from servicepact.accounts.models import User

TOKEN_LIFETIMES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("one year")),
    ("", _("never expires")),
]


class EmailLoginForm(AuthenticationForm):
    """Django's login form, labelled for the e-mail address people log in with."""

    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class PreferencesForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=())
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["full_name", "phone", "timezone", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zones = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
        self.fields["timezone"].choices = [(zone, zone) for zone in zones]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class NewTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the token is for, e.g. the monitoring integration."))
    lifetime = forms.ChoiceField(label=_("Expires after"), choices=TOKEN_LIFETIMES, initial="90", required=False)

    def expires_in(self) -> timedelta | None:
        days = self.cleaned_data.get("lifetime")
        return timedelta(days=int(days)) if days else None
