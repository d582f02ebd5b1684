"""A person's second factor: enrol an authenticator app (QR code drawn here), backup codes, verification
at sign-in, turning it off where the organization allows."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from servicepact.accounts import passkeys, two_factor
from servicepact.accounts.forms import EnrolmentForm, TwoFactorCodeForm
from servicepact.accounts.views import safe_next
from servicepact.permissions.declared import person_view, signed_in
from servicepact.refusals import ActionRefused


def _status(request: HttpRequest) -> dict:
    user = request.user
    return {
        "enabled": user.two_factor_enabled,
        "required": two_factor.second_factor_required(user),
        "has_authenticator": two_factor.has_authenticator(user),
        "backup_codes_left": two_factor.backup_codes_left(user),
        "passkeys": passkeys.passkeys_of(user),
    }


@person_view(signed_in)
def two_factor_page(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/two_factor.html", _status(request))


@person_view(signed_in, methods=("GET", "HEAD", "POST"))
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the secret), then give the first code. The secret waits in the session."""
    user = request.user
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_authenticator(request, actor=user, code=form.cleaned_data["code"])
        except ActionRefused as refusal:
            for problem in refusal.errors.get("code", [refusal.message]):
                form.add_error("code", problem)
        else:
            messages.success(request, _("Two-factor authentication is on."))
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "next": safe_next(request, "/"), "first": True}
            )
    secret = two_factor.enrolment_secret(request)
    uri = two_factor.provisioning_uri(user, secret)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": mark_safe(two_factor.qr_code_svg(uri)),
            "secret": two_factor.readable_secret(secret),
            "next": safe_next(request, ""),
            "waiting": not two_factor.session_is_verified(request),
            **_status(request),
        },
        status=422 if form.errors else 200,
    )


@person_view(signed_in, methods=("GET", "HEAD", "POST"))
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a backup code."""
    if two_factor.session_is_verified(request):
        return redirect(safe_next(request, "/"))
    if not request.user.two_factor_enabled:
        return redirect("accounts:two_factor_setup")
    form = TwoFactorCodeForm(request.POST or None, initial={"next": safe_next(request, "")})
    if request.method == "POST" and form.is_valid():
        if two_factor.verify_sign_in(request, form.cleaned_data["code"]):
            return redirect(safe_next(request, "/"))
        form.add_error(
            "code",
            _(
                "That code is not valid, or it was used already. Wait a few seconds, then type the "
                "code your app shows now."
            ),
        )
    context = {"form": form, "has_passkey": passkeys.has_passkey(request.user)}
    return render(request, "accounts/two_factor_verify.html", context, status=422 if form.errors else 200)


@person_view(signed_in, methods=("POST",))
def backup_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = two_factor.new_backup_codes(actor=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("accounts:two_factor")
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": "", "first": False})


@person_view(signed_in, methods=("POST",))
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    try:
        two_factor.remove_two_factor(actor=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:two_factor")
