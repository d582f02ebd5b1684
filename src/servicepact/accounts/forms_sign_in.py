"""Forms of an organization's sign-in settings: its OpenID Connect providers and its directories (LDAP).

A secret (the provider's client secret, the directory's bind password) is written once: the form never
shows it back, and a field left empty on a change keeps the one saved.
"""

import re
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _
from ldap3.core.exceptions import LDAPInvalidDnError
from ldap3.utils.dn import parse_dn

from servicepact.accounts.models import DirectorySource, IdentityProvider, Role

CLAIM_NAME = re.compile(r"^[A-Za-z0-9_.:\-]+$")
SCOPE = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]+$")  # RFC 6749 scope-token characters
ATTRIBUTE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9\-]*$|^[0-9]+(\.[0-9]+)+$")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
SECRET_HELP = _("Written once and never shown again; leave it empty to keep the one saved.")


def check_issuer(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise forms.ValidationError(
            _("%(value)s is not an issuer URL: give its https:// address, e.g. https://login.example.com/realm."),
            params={"value": value},
        )
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise forms.ValidationError(
            _("The issuer %(value)s must use https:// (plain http only on this machine, for tests)."),
            params={"value": value},
        )
    if parts.query or parts.fragment:
        raise forms.ValidationError(
            _("The issuer %(value)s may not have a query or a fragment (? or #)."), params={"value": value}
        )
    return value.rstrip("/")


def check_dn(value: str, *, required: bool) -> str:
    value = value.strip()
    if not value:
        if required:
            raise forms.ValidationError(_("This field is required."))
        return value
    try:
        parse_dn(value)
    except LDAPInvalidDnError:
        raise forms.ValidationError(
            _("%(value)s is not a distinguished name, e.g. ou=people,dc=example,dc=com."), params={"value": value}
        ) from None
    return value


def check_filter(value: str, *, required: bool) -> str:
    value = value.strip()
    if not value:
        if required:
            raise forms.ValidationError(_("This field is required."))
        return value
    depth, balanced = 0, value.startswith("(")
    for char in value:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            balanced = False
            break
    if not balanced or depth != 0:
        raise forms.ValidationError(
            _("%(value)s is not an LDAP filter: it is written in parentheses, e.g. (objectClass=person)."),
            params={"value": value},
        )
    return value


class SecretField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            strip=False,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
            help_text=SECRET_HELP,
            **kwargs,
        )


class IdentityProviderForm(forms.ModelForm):
    client_secret = SecretField(label=_("Client secret"), max_length=500)

    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "slug",
            "issuer",
            "client_id",
            "client_secret",
            "scopes",
            "claim_email",
            "claim_name",
            "claim_language",
            "claim_timezone",
            "claim_department",
            "create_people",
            "default_role",
            "enabled",
        ]
        labels = {"slug": _("Short name"), "enabled": _("Enabled: its button is on the login page")}
        help_texts = {
            "slug": _("Letters, digits and hyphens; in the sign-in address. It does not change later."),
            "issuer": _("Its discovery document is read from ISSUER/.well-known/openid-configuration."),
            "scopes": _("Separated by spaces; openid is required."),
            "claim_email": _("The claim that holds the person's e-mail address, by which they are found."),
        }
        # Checked by clean_issuer, which says what is wrong (a URLField would guess a scheme).
        field_classes = {"issuer": forms.CharField}
        widgets = {
            "issuer": forms.TextInput(
                attrs={"placeholder": "https://login.example.com/realms/company", "inputmode": "url"}
            )
        }

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["default_role"].choices = Role.choices
        if editing:
            # The short name is in the sign-in and callback addresses registered at the provider.
            del self.fields["slug"]

    def clean_issuer(self) -> str:
        return check_issuer(self.cleaned_data["issuer"])

    def clean_scopes(self) -> str:
        scopes = self.cleaned_data["scopes"].split()
        bad = [scope for scope in scopes if not SCOPE.match(scope)]
        if bad:
            raise forms.ValidationError(_("%(value)s is not a scope."), params={"value": bad[0]})
        if "openid" not in scopes:
            raise forms.ValidationError(_("The scopes must include openid."))
        return " ".join(dict.fromkeys(scopes))

    def _claim(self, field: str) -> str:
        value = self.cleaned_data[field].strip()
        if value and not CLAIM_NAME.match(value):
            raise forms.ValidationError(
                _("%(value)s is not a claim name (letters, digits, _ . : -)."), params={"value": value}
            )
        return value

    def clean_claim_email(self) -> str:
        return self._claim("claim_email")

    def clean_claim_name(self) -> str:
        return self._claim("claim_name")

    def clean_claim_language(self) -> str:
        return self._claim("claim_language")

    def clean_claim_timezone(self) -> str:
        return self._claim("claim_timezone")

    def clean_claim_department(self) -> str:
        return self._claim("claim_department")


class DirectorySourceForm(forms.ModelForm):
    bind_password = SecretField(label=_("Bind password"), max_length=500)
    role_mapping = forms.CharField(
        label=_("Roles by group"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "servicedesk = agent"}),
        help_text=_("One group a line: its name (cn) or DN, an equals sign, and the role its members hold."),
    )

    class Meta:
        model = DirectorySource
        fields = [
            "name",
            "slug",
            "server_url",
            "bind_dn",
            "bind_password",
            "people_base",
            "people_filter",
            "disabled_filter",
            "attribute_email",
            "attribute_name",
            "attribute_department",
            "attribute_manager",
            "attribute_language",
            "group_base",
            "group_filter",
            "group_member_attribute",
            "role_mapping",
            "default_role",
            "login_by_bind",
            "enabled",
        ]
        labels = {"slug": _("Short name")}
        help_texts = {"slug": _("Letters, digits and hyphens. It does not change later.")}
        widgets = {"server_url": forms.TextInput(attrs={"placeholder": "ldaps://ldap.example.com:636"})}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        mapping = self.instance.role_mapping or {}
        self.initial["role_mapping"] = "\n".join(f"{group} = {role}" for group, role in mapping.items())
        if editing:
            del self.fields["slug"]

    def clean_server_url(self) -> str:
        value = self.cleaned_data["server_url"].strip()
        parts = urlsplit(value)
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme not in ("ldap", "ldaps") or not parts.hostname or port == -1 or parts.path not in ("", "/"):
            raise forms.ValidationError(
                _("%(value)s is not a directory server: give ldap://host:389 or ldaps://host:636."),
                params={"value": value},
            )
        return value.rstrip("/")

    def clean_bind_dn(self) -> str:
        return check_dn(self.cleaned_data["bind_dn"], required=False)

    def clean_people_base(self) -> str:
        return check_dn(self.cleaned_data["people_base"], required=True)

    def clean_group_base(self) -> str:
        return check_dn(self.cleaned_data["group_base"], required=False)

    def clean_people_filter(self) -> str:
        return check_filter(self.cleaned_data["people_filter"], required=True)

    def clean_disabled_filter(self) -> str:
        return check_filter(self.cleaned_data["disabled_filter"], required=False)

    def clean_group_filter(self) -> str:
        return check_filter(self.cleaned_data["group_filter"], required=bool(self.data.get("group_base")))

    def _attribute(self, field: str) -> str:
        value = self.cleaned_data[field].strip()
        if value and not ATTRIBUTE_NAME.match(value):
            raise forms.ValidationError(_("%(value)s is not an attribute name."), params={"value": value})
        return value

    def clean_attribute_email(self) -> str:
        return self._attribute("attribute_email")

    def clean_attribute_name(self) -> str:
        return self._attribute("attribute_name")

    def clean_attribute_department(self) -> str:
        return self._attribute("attribute_department")

    def clean_attribute_manager(self) -> str:
        return self._attribute("attribute_manager")

    def clean_attribute_language(self) -> str:
        return self._attribute("attribute_language")

    def clean_group_member_attribute(self) -> str:
        return self._attribute("group_member_attribute")

    def clean_role_mapping(self) -> dict[str, str]:
        roles = {value for value, _label in Role.choices}
        mapping: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["role_mapping"].splitlines(), start=1):
            if not line.strip():
                continue
            group, equals, role = line.rpartition("=")  # a DN holds "=" too; a role never
            group, role = group.strip(), role.strip()
            if not equals or not group or not role:
                raise forms.ValidationError(
                    _("Line %(line)s, %(text)s: write a group, an equals sign and a role, e.g. servicedesk = agent."),
                    params={"line": number, "text": line.strip()},
                )
            if role not in roles:
                raise forms.ValidationError(
                    _("Line %(line)s: %(role)s is not a role; the roles are %(roles)s."),
                    params={"line": number, "role": role, "roles": ", ".join(sorted(roles))},
                )
            mapping[group] = role
        return mapping
