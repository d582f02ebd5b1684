"""Single sign-on's pages: leaving for the organization's identity provider, coming back, and signing out
of both."""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from servicepact.accounts.sso import (
    CLAIMS_ATTRIBUTE,
    SESSION_ID_TOKEN,
    SESSION_LOGOUT_ORIGIN,
    SESSION_PROVIDER,
    ProviderSettingsMixin,
    ProviderUnavailable,
    chosen_provider,
    enabled_provider,
    provider_settings,
)
from servicepact.accounts.two_factor import accept_identity_provider_second_factor


class SingleSignOnStart(ProviderSettingsMixin, OIDCAuthenticationRequestView):
    """Sends the person to their organization's identity provider, with a fresh state, nonce and PKCE pair."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest, provider_slug: str) -> HttpResponse:
        self.provider = enabled_provider(provider_slug)
        if self.provider is None:
            raise Http404("no such identity provider")
        try:
            values = provider_settings(self.provider)
        except ProviderUnavailable:
            messages.error(
                request,
                _("%(provider)s cannot be reached just now; try again in a moment.") % {"provider": self.provider},
            )
            return redirect("accounts:login")
        self.OIDC_OP_AUTH_ENDPOINT = values["OIDC_OP_AUTHORIZATION_ENDPOINT"]
        self.OIDC_RP_CLIENT_ID = values["OIDC_RP_CLIENT_ID"]
        request.session[SESSION_PROVIDER] = self.provider.pk
        return super().get(request)


class SingleSignOnCallback(ProviderSettingsMixin, OIDCAuthenticationCallbackView):
    """The provider sends the person back here with a code; they are signed in, or told why not."""

    def get(self, request: HttpRequest) -> HttpResponse:
        self.provider = chosen_provider(request)
        if self.provider is None:
            return self.login_failure()
        return super().get(request)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        endpoint = provider_settings(self.provider)["OIDC_OP_LOGOUT_ENDPOINT"]
        if endpoint:
            parts = urlsplit(endpoint)
            self.request.session[SESSION_LOGOUT_ORIGIN] = f"{parts.scheme}://{parts.netloc}"
        accept_identity_provider_second_factor(self.request, getattr(self.request, CLAIMS_ATTRIBUTE, {}))
        return response

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, _("Single sign-on did not sign you in. Try again, or ask your administrator."))
        return redirect("accounts:login")


class SignOutView(auth_views.LogoutView):
    """Signs out here and, after single sign-on, at the identity provider too (RP-initiated logout)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        provider = chosen_provider(request)
        id_token = request.session.get(SESSION_ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        if provider is None or not id_token:
            return response
        try:
            endpoint = provider_settings(provider)["OIDC_OP_LOGOUT_ENDPOINT"]
        except ProviderUnavailable:
            return response
        if not endpoint:
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": provider.client_id,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login")),
            }
        )
        return HttpResponseRedirect(f"{endpoint}?{query}")
