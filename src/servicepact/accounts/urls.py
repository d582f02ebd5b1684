from django.urls import path

from servicepact.accounts import views, views_passkeys, views_sso, views_two_factor
from servicepact.permissions.declared import open_view

app_name = "accounts"
urlpatterns = [
    path("login/", open_view("signing in")(views.LoginView.as_view()), name="login"),
    path("logout/", open_view("signing out")(views_sso.SignOutView.as_view()), name="logout"),
    path(
        "sso/<slug:provider_slug>/",
        open_view("leaving for an organization's identity provider")(views_sso.SingleSignOnStart.as_view()),
        name="sso_login",
    ),
    path(
        "sso-callback/",
        open_view("coming back from the identity provider")(views_sso.SingleSignOnCallback.as_view()),
        name="sso_callback",
    ),
    path(
        "set-password/<uidb64>/<token>/",
        open_view("setting a password with the link an administrator handed over")(views.SetPasswordView.as_view()),
        name="set_password",
    ),
    path("profile/", views.profile, name="profile"),
    path("language/", views.switch_language, name="language"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("two-factor/", views_two_factor.two_factor_page, name="two_factor"),
    path("two-factor/setup/", views_two_factor.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views_two_factor.two_factor_verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", views_two_factor.backup_codes, name="two_factor_backup_codes"),
    path("two-factor/remove/", views_two_factor.two_factor_remove, name="two_factor_remove"),
    path("two-factor/passkeys/<int:passkey_id>/remove/", views_passkeys.remove_passkey, name="passkey_remove"),
]
