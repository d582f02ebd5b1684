"""Each person sees times in their own time zone and pages in their own language; a sign-in that needs
a second factor reaches nothing else until it is given."""

import zoneinfo
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from servicepact.accounts.sso import SESSION_LOGOUT_ORIGIN
from servicepact.accounts.two_factor import session_is_verified

# What a session waiting for its second factor may reach.
OPEN_PAGES = frozenset(
    {
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "accounts:logout",
        "accounts:language",
        "accounts:login",
        "set_language",
        "runtime:healthz",
        # A passkey is the second factor the session waits for.
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
    }
)
# The API authenticates each request itself (a token, or a verified session).
OPEN_NAMESPACES = frozenset({"api"})


class PersonalPreferencesMiddleware:
    """Activates the person's zone and language for their request only.

    Both live in the thread; restoring them afterwards keeps one person's settings from leaking into
    whatever the same thread does next (the next request, a task, a test).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            timezone.deactivate()
            return self.get_response(request)
        language = user.language or translation.get_language()
        with timezone.override(zoneinfo.ZoneInfo(user.timezone)), translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            return self.get_response(request)


class TwoFactorMiddleware:
    """A signed-in person who needs a second factor and has not given it reaches only the verification
    (or, with no factor yet, the enrolment), signing out and the language switch; every other page sends
    them there. The API is left to its own authentication, which does not accept such a session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.namespace in OPEN_NAMESPACES or match.view_name in OPEN_PAGES or session_is_verified(request):
            return self.get_response(request)
        target = "accounts:two_factor_verify" if user.two_factor_enabled else "accounts:two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class SingleSignOnLogoutMiddleware:
    """After single sign-on, the header's "Log out" form ends at the identity provider (its logout page):
    the pages of such a session let forms lead to that one origin too (CSP ``form-action``), which the
    browser checks along the redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origin = request.session.get(SESSION_LOGOUT_ORIGIN) if hasattr(request, "session") else None
        if origin:
            response._csp_update = {"form-action": [origin]}
        return response
