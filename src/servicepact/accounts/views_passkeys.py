"""The passkey ceremonies of django-otp-webauthn under servicepact's declarations: registering needs a
signed-in person (and, if they have a factor already, a verified session: the library checks it);
verifying is the second step of a sign-in, so it is open to the signed-in session that waits for it.
Removing a passkey is the person's own page action."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn

from servicepact.accounts import passkeys
from servicepact.permissions.declared import open_view, person_view, signed_in
from servicepact.refusals import ActionRefused


class CompleteRegistration(webauthn.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            passkeys.passkey_registered(actor=self.request.user)
        return response


begin_registration = person_view(signed_in, methods=("POST",))(webauthn.BeginCredentialRegistrationView.as_view())
complete_registration = person_view(signed_in, methods=("POST",))(CompleteRegistration.as_view())
begin_verification = person_view(signed_in, methods=("POST",))(webauthn.BeginCredentialAuthenticationView.as_view())
complete_verification = person_view(signed_in, methods=("POST",))(
    webauthn.CompleteCredentialAuthenticationView.as_view()
)
script_translations = open_view("the passkey script's translations")(
    JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])
)


@person_view(signed_in, methods=("POST",))
def remove_passkey(request: HttpRequest, passkey_id: int) -> HttpResponse:
    try:
        passkeys.remove_passkey(actor=request.user, passkey_id=passkey_id)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The passkey is removed."))
    return redirect("accounts:two_factor")
