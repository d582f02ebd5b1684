from django.contrib.auth import views as auth_views
from django.urls import path

from servicepact.accounts import views
from servicepact.permissions.declared import open_view

app_name = "accounts"
urlpatterns = [
    path("login/", open_view("signing in")(views.LoginView.as_view()), name="login"),
    path("logout/", open_view("signing out")(auth_views.LogoutView.as_view()), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("language/", views.switch_language, name="language"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
]
