"""The person's own pages: log in and out, set a password by link, preferences (time zone, language) and
API tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepact.accounts.forms import EmailLoginForm, LanguageForm, NewTokenForm, PreferencesForm
from servicepact.accounts.models import ApiToken
from servicepact.accounts.sso import login_page_providers
from servicepact.accounts.tokens import create_token
from servicepact.accounts.tokens import revoke_token as revoke_token_action
from servicepact.permissions.declared import open_view, person_view, signed_in
from servicepact.refusals import ActionRefused


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Anyone may see which organizations sign in by single sign-on: the buttons name them.
        context["identity_providers"] = login_page_providers()
        return context


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link an administrator hands a new person (or one who forgot their password): set it, then log in."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set: log in with it."))
        return response


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@person_view(signed_in, methods=("GET", "HEAD", "POST"))
def profile(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(form.instance.language)
        messages.success(request, _("Your preferences are saved."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.instance.language, samesite="Lax")
        return response
    return render(request, "accounts/profile.html", {"form": form}, status=422 if form.errors else 200)


@open_view("the header's language switch, also on the login page")
@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch: saved on the person, and in a cookie for the login page."""
    form = LanguageForm(request.POST)
    response = HttpResponseRedirect(safe_next(request, "/"))
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


@person_view(signed_in, methods=("GET", "HEAD", "POST"))
def tokens(request: HttpRequest) -> HttpResponse:
    form = NewTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        lifetime = form.expires_in()
        try:
            _token, secret = create_token(
                actor=request.user,
                name=form.cleaned_data["name"],
                expires_at=timezone.now() + lifetime if lifetime else None,
            )
            form = NewTokenForm()
        except ActionRefused as refusal:
            for field, problems in refusal.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
    # Administrators see their people's tokens too (to revoke them there); this page is one's own.
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.visible_to(request.user).filter(user=request.user),
    }
    return render(request, "accounts/tokens.html", context, status=422 if form.errors else 200)


@person_view(signed_in, methods=("POST",))
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    # Only one's own tokens: another person's id is simply not found.
    token = get_object_or_404(
        ApiToken.objects.visible_to(request.user), pk=token_id, user=request.user, revoked_at__isnull=True
    )
    revoke_token_action(token, actor=request.user)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
