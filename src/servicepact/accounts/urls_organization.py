"""An organization's administration, by its administrators, for their own organization only."""

from django.urls import path

from servicepact.accounts import views_directory, views_organization, views_people, views_sign_in
from servicepact.desk.views import routing_rules

app_name = "organization"
urlpatterns = [
    path("", views_organization.overview, name="overview"),
    path("people/", views_people.people, name="people"),
    path("people/new/", views_people.person_new, name="person_new"),
    path("people/<int:person_id>/", views_people.person, name="person"),
    path("people/<int:person_id>/change/", views_people.person_change, name="person_change"),
    path("people/<int:person_id>/roles/", views_people.person_role_add, name="person_role_add"),
    path("people/<int:person_id>/deactivate/", views_people.person_deactivate, name="person_deactivate"),
    path("people/<int:person_id>/reactivate/", views_people.person_reactivate, name="person_reactivate"),
    path("people/<int:person_id>/unlock/", views_people.person_unlock, name="person_unlock"),
    path(
        "people/<int:person_id>/two-factor-reset/", views_people.person_two_factor_reset, name="person_two_factor_reset"
    ),
    path("people/<int:person_id>/password-link/", views_people.person_password_link, name="person_password_link"),
    path("roles/<int:membership_id>/remove/", views_people.membership_remove, name="membership_remove"),
    path("teams/", views_organization.teams, name="teams"),
    path("teams/<slug:team_slug>/", views_organization.team, name="team"),
    path("directory/", views_directory.directory, name="directory"),
    path("sign-in/", views_sign_in.sign_in, name="sign_in"),
    path("sign-in/providers/new/", views_sign_in.provider_new, name="provider_new"),
    path("sign-in/providers/<slug:provider_slug>/", views_sign_in.provider, name="provider"),
    path("sign-in/providers/<slug:provider_slug>/test/", views_sign_in.provider_test, name="provider_test"),
    path("sign-in/directories/new/", views_sign_in.directory_new, name="directory_new"),
    path("sign-in/directories/<slug:slug>/", views_sign_in.directory_source, name="directory_source"),
    path("sign-in/directories/<slug:slug>/test/", views_sign_in.directory_test, name="directory_test"),
    path("tokens/", views_organization.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views_organization.token_revoke, name="token_revoke"),
    path("routing/", routing_rules.routing, name="routing"),
    path("routing/<int:rule_id>/", routing_rules.routing_rule, name="routing_rule"),
    path("routing/<int:rule_id>/delete/", routing_rules.routing_rule_delete, name="routing_rule_delete"),
]
