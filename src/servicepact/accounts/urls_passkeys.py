"""The passkey ceremonies, under the namespace django-otp-webauthn's script and template tags reverse."""

from django.urls import path

from servicepact.accounts import views_passkeys

app_name = "otp_webauthn"
urlpatterns = [
    path("registration/begin/", views_passkeys.begin_registration, name="credential-registration-begin"),
    path("registration/complete/", views_passkeys.complete_registration, name="credential-registration-complete"),
    path("authentication/begin/", views_passkeys.begin_verification, name="credential-authentication-begin"),
    path("authentication/complete/", views_passkeys.complete_verification, name="credential-authentication-complete"),
    path("jsi18n/", views_passkeys.script_translations, name="js-i18n-catalog"),
]
