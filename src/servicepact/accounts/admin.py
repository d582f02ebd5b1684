"""Administration of organizations, people, teams, memberships and API tokens."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.forms import UserCreationForm as DjangoUserCreationForm
from django.utils.translation import gettext_lazy as _

from servicepact.accounts.models import ApiToken, IdentityProvider, Membership, Organization, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["team"]
    fk_name = "user"


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "timezone"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "issuer", "client_id", "enabled"]
    list_filter = ["enabled", "organization"]
    search_fields = ["name", "slug", "issuer"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "is_service_desk", "timezone", "email"]
    list_filter = ["is_service_desk", "organization"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class PersonCreationForm(DjangoUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "organization", "timezone", "language"]


class PersonChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class PersonAdmin(DjangoUserAdmin):
    """Django's user admin, keyed by e-mail instead of a user name."""

    form = PersonChangeForm
    add_form = PersonCreationForm
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "organization", "timezone", "language", "is_active", "is_staff"]
    list_filter = ["organization", "is_active", "is_staff", "identity_source", "language"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "organization", "phone", "timezone", "language"]}),
        (_("Identity"), {"fields": ["identity_source", "external_id"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "organization", "timezone", "language", "password1", "password2"],
            },
        ),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization", "team"]
    list_filter = ["role", "organization"]
    search_fields = ["user__email", "user__full_name", "team__name"]
    autocomplete_fields = ["user", "team"]


class ApiTokenAdminForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["revoked_at", "expires_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owner (the secret is shown once); here they can only be revoked."""

    form = ApiTokenAdminForm
    list_display = ["name", "user", "hint", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__email"]
    readonly_fields = ["user", "name", "hint", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False
