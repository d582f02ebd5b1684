"""An organization's sign-in settings, by its administrators: single sign-on required or not, its OpenID
Connect providers and its directories (LDAP), each added, changed, tried against the real server, disabled.

A provider or directory is found among the administrator's own organization's (404 otherwise). A try
changes nothing: it reads the issuer's discovery document, or binds to the directory and counts its people.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ldap3.core.exceptions import LDAPException

from servicepact.accounts import actions
from servicepact.accounts.directory import DirectoryUnavailable, connect
from servicepact.accounts.forms import OrganizationSettingsForm
from servicepact.accounts.forms_sign_in import DirectorySourceForm, IdentityProviderForm
from servicepact.accounts.models import DirectorySource, IdentityProvider
from servicepact.accounts.sso import ProviderUnavailable, discovery
from servicepact.accounts.views_organization import own_organization
from servicepact.accounts.views_people import add_refusal
from servicepact.permissions.administration import administers_organization
from servicepact.permissions.declared import object_view, person_view
from servicepact.refusals import ActionRefused

FORM_METHODS = ("GET", "HEAD", "POST")
# How many people a directory's try counts at most: enough to see the base and filter are right.
TRY_LIMIT = 1000


def administers_it(user, found) -> bool:
    return administers_organization(user) and found.organization_id == user.organization_id


def find_provider(request: HttpRequest, slug: str) -> IdentityProvider:
    own = IdentityProvider.objects.visible_to(request.user).filter(organization_id=request.user.organization_id)
    return get_object_or_404(own, slug=slug)


def find_directory(request: HttpRequest, slug: str) -> DirectorySource:
    own = DirectorySource.objects.visible_to(request.user).filter(organization_id=request.user.organization_id)
    return get_object_or_404(own, slug=slug)


provider_page = object_view(find_provider, "provider_slug")
directory_page = object_view(find_directory, "slug")


@person_view(administers_organization, methods=FORM_METHODS)
def sign_in(request: HttpRequest) -> HttpResponse:
    user = request.user
    organization = own_organization(request)
    form = OrganizationSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"require_single_sign_on": organization.require_single_sign_on},
    )
    del form.fields["require_two_factor"]
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_settings(
                organization,
                actor=user,
                require_two_factor=organization.require_two_factor,
                require_single_sign_on=form.cleaned_data["require_single_sign_on"],
            )
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("organization:sign_in")
    own = {"organization_id": organization.pk}
    return render(
        request,
        "accounts/organization/sign_in.html",
        {
            "form": form,
            "organization": organization,
            "providers": IdentityProvider.objects.visible_to(user).filter(**own).order_by("name"),
            "directories": DirectorySource.objects.visible_to(user).filter(**own).order_by("name"),
            "section": "sign_in",
        },
        status=422 if form.errors else 200,
    )


@dataclass(frozen=True)
class Settings:
    """What the pages of one kind of sign-in setting (a provider, a directory) differ in."""

    form: type
    save: Callable
    template: str
    name: str  # the record's name in the page's context
    page: str  # the URL name of a saved record's page
    done: str | Promise  # the message once saved, with %(name)s
    secret: str  # the field written once and never shown back


PROVIDERS = Settings(
    IdentityProviderForm,
    actions.save_identity_provider,
    "accounts/organization/identity_provider.html",
    "provider",
    "organization:provider",
    gettext_lazy("The identity provider %(name)s is saved."),
    "client_secret",
)
DIRECTORIES = Settings(
    DirectorySourceForm,
    actions.save_directory,
    "accounts/organization/directory_source.html",
    "source",
    "organization:directory_source",
    gettext_lazy("The directory %(name)s is saved."),
    "bind_password",
)


def _edit(request: HttpRequest, kind: Settings, found=None) -> HttpResponse:
    """The add or change page of a provider or directory. The form fills in a copy of the record: a refused
    change leaves the page's record (and the database) as they were."""
    data = request.POST if request.method == "POST" else None
    if found is None:
        form = kind.form(data)
    else:
        form = kind.form(data, instance=type(found).objects.visible_to(request.user).get(pk=found.pk), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            saved = kind.save(form.instance, actor=request.user, **{kind.secret: form.cleaned_data[kind.secret]})
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, str(kind.done) % {"name": saved.name})
            return redirect(kind.page, saved.slug)
    return render(
        request,
        kind.template,
        {"form": form, "section": "sign_in", kind.name: found, "back": kind.page},
        status=422 if form.errors else 200,
    )


@person_view(administers_organization, methods=FORM_METHODS)
def provider_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, PROVIDERS)


@provider_page(administers_it, methods=FORM_METHODS)
def provider(request: HttpRequest, provider: IdentityProvider) -> HttpResponse:
    return _edit(request, PROVIDERS, provider)


@provider_page(administers_it)
def provider_test(request: HttpRequest, provider: IdentityProvider) -> HttpResponse:
    cache.delete(f"oidc-discovery:{provider.issuer.rstrip('/')}")  # read it now, not the copy of an hour ago
    try:
        document = discovery(provider)
    except ProviderUnavailable as problem:
        messages.error(
            request, _("The issuer does not answer as an OpenID provider: %(problem)s") % {"problem": problem}
        )
    else:
        missing = [key for key in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not document.get(key)]
        if missing:
            messages.error(
                request,
                _("The issuer's discovery document lacks %(keys)s.") % {"keys": ", ".join(missing)},
            )
        else:
            messages.success(
                request,
                _("The issuer answers: sign-in at %(endpoint)s.") % {"endpoint": document["authorization_endpoint"]},
            )
    return redirect("organization:provider", provider.slug)


@person_view(administers_organization, methods=FORM_METHODS)
def directory_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, DIRECTORIES)


@directory_page(administers_it, methods=FORM_METHODS)
def directory_source(request: HttpRequest, source: DirectorySource) -> HttpResponse:
    return _edit(request, DIRECTORIES, source)


@directory_page(administers_it)
def directory_test(request: HttpRequest, source: DirectorySource) -> HttpResponse:
    try:
        connection = connect(source)
    except DirectoryUnavailable as problem:
        messages.error(request, _("The directory cannot be reached: %(problem)s") % {"problem": problem})
        return redirect("organization:directory_source", source.slug)
    try:
        connection.search(source.people_base, source.people_filter, attributes=[], size_limit=TRY_LIMIT)
        found = len(connection.entries)
        if connection.result.get("result") not in (0, 4):  # success, or the size limit reached
            raise LDAPException(connection.result.get("description") or connection.result.get("message"))
    except LDAPException as problem:
        messages.error(
            request,
            _("The directory answers, but the people could not be read: %(problem)s") % {"problem": problem},
        )
    else:
        messages.success(
            request,
            _("The directory answers: %(count)s people under %(base)s match the people filter.")
            % {"count": f"{found}+" if found >= TRY_LIMIT else found, "base": source.people_base},
        )
    finally:
        connection.unbind()
    return redirect("organization:directory_source", source.slug)
