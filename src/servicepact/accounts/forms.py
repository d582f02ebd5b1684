"""Forms of the person's own pages (log in by e-mail, preferences, API tokens, two-factor) and of an
organization's administration (people, roles, teams, settings)."""

import zoneinfo
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from servicepact.accounts.models import Organization, Role, Team, User
from servicepact.accounts.models.user import IdentitySource

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

    def clean_username(self) -> str:
        # Accounts store their address in lower case; whatever case is typed is the same account.
        return self.cleaned_data["username"].strip().lower()

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        organization = user.organization
        if organization is not None and organization.require_single_sign_on and not user.is_superuser:
            raise forms.ValidationError(
                _("%(organization)s signs in by single sign-on: use its button below."),
                code="single_sign_on_required",
                params={"organization": organization.name},
            )


def time_zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})]


class PreferencesForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=())
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["full_name", "phone", "timezone", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = time_zone_choices()


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the monitoring integration.")
    )
    lifetime = forms.ChoiceField(label=_("Expires after"), choices=TOKEN_LIFETIMES, initial="90", required=False)

    def expires_in(self) -> timedelta | None:
        days = self.cleaned_data.get("lifetime")
        return timedelta(days=int(days)) if days else None


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        help_text=_("The six digits your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True, "spellcheck": "false"}
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class EnrolmentForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        strip=True,
        help_text=_("After adding the account, type the six digits the app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


# -- an organization's administration ----------------------------------------------------------------------


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, team: Team) -> str:
        return team.name


class PersonCreateForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.REQUESTER)
    team = TeamChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("(no team: the whole organization)"),
    )
    timezone = forms.ChoiceField(label=_("Time zone"), choices=())
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    identity_source = forms.ChoiceField(
        label=_("Signs in with"),
        choices=IdentitySource.choices,
        initial=IdentitySource.LOCAL,
        help_text=_("A local account gets a set-password link to hand over; single sign-on needs none."),
    )

    def __init__(self, *args, teams, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["timezone"].choices = time_zone_choices()
        self.fields["timezone"].initial = organization.timezone


class PersonChangeForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=())
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["full_name", "phone", "timezone", "language", "identity_source", "external_id"]
        labels = {"identity_source": _("Signs in with")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = time_zone_choices()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    team = TeamChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("(no team: the whole organization)"),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class PeopleFilterForm(forms.Form):
    STATUSES = [("active", _("Active")), ("inactive", _("Deactivated")), ("", _("Any status"))]

    q = forms.CharField(label=_("Name or e-mail"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("Any role"))] + list(Role.choices))
    team = TeamChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("Any team"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUSES, initial="active")

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class TeamForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=())

    class Meta:
        model = Team
        fields = ["name", "slug", "timezone", "email", "is_service_desk"]
        labels = {"slug": _("Short name"), "is_service_desk": _("Service desk: new tickets arrive here")}
        help_texts = {
            "slug": _(
                "Letters, digits and hyphens; in addresses and contract files. Left empty, it is made from the name."
            ),
            "is_service_desk": "",
        }

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = time_zone_choices()
        self.fields["slug"].required = False
        if editing:
            # A team's short name is written into contracts and routing; it does not change.
            del self.fields["slug"]

    def validate_unique(self) -> None:
        # The action says when a short name is taken, in its own words.
        pass


class OrganizationSettingsForm(forms.Form):
    require_single_sign_on = forms.BooleanField(
        label=_("Require single sign-on"),
        required=False,
        help_text=_("Your people sign in through your identity provider only; passwords here are refused."),
    )
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor authentication of everyone with a role other than requester"),
        required=False,
        help_text=_(
            "At their next sign-in they set up an authenticator app (or sign in by single sign-on that "
            "vouches for a second factor)."
        ),
    )
