"""Administration of contracts, services and categories; versions are shown, never edited here.

A version is written only by the contract actions (registered, then signed by both parties), so the
admin shows versions read-only; a signed version refuses every change anyway (write_once).
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from servicepact.contracts.models import Category, Contract, ContractVersion, Service
from servicepact.contracts.models.service import attach_terms
from servicepact.readonly_admin import ReadOnlyAdmin


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0
    fields = ["key", "name_in_force", "tier_in_force", "owning_team"]
    readonly_fields = ["key", "name_in_force", "tier_in_force"]

    def has_add_permission(self, request, obj=None) -> bool:
        # Services come from the signed versions' texts.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("name"))
    def name_in_force(self, service: Service) -> str:
        return service.name

    @admin.display(description=_("criticality tier"))
    def tier_in_force(self, service: Service) -> int | None:
        return service.tier


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


class VersionInline(admin.TabularInline):
    model = ContractVersion
    extra = 0
    fields = ["number", "status", "effective_from", "effective_to", "customer_signed_at", "provider_signed_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "customer", "provider"]
    search_fields = ["slug", "title"]
    filter_horizontal = ["vendors"]
    inlines = [VersionInline, ServiceInline, CategoryInline]


@admin.register(ContractVersion)
class ContractVersionAdmin(ReadOnlyAdmin):
    list_display = ["contract", "number", "status", "effective_from", "effective_to", "short_sha256"]
    list_filter = ["status", "contract"]
    list_select_related = ["contract"]
    fields = [
        "contract",
        "number",
        "status",
        "effective_from",
        "effective_to",
        "source_text",
        "sha256",
        "registered_by",
        "customer_signed_by",
        "customer_signed_at",
        "provider_signed_by",
        "provider_signed_at",
        "created_at",
    ]
    readonly_fields = ["source_text", "created_at"]

    @admin.display(description=_("contract text (YAML)"))
    def source_text(self, version: ContractVersion) -> str:
        # The admin's read-only display joins lines with <br> and drops the indentation YAML depends on.
        return format_html(
            '<pre class="contract-source" style="white-space: pre; overflow-x: auto">{}</pre>', version.source
        )

    @admin.display(description="SHA-256")
    def short_sha256(self, version: ContractVersion) -> str:
        return version.sha256[:12]


class ServiceChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        attach_terms(self.result_list)  # one query for the page's names, not one per row


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["key", "name_in_force", "contract", "owning_team"]
    list_filter = ["contract"]
    list_select_related = ["contract", "owning_team"]
    search_fields = ["key"]
    fields = ["contract", "key", "owning_team"]
    readonly_fields = ["contract", "key"]

    @admin.display(description=_("name"))
    def name_in_force(self, service: Service) -> str:
        return service.name

    def get_changelist(self, request, **kwargs):
        return ServiceChangeList

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "contract"]
    list_filter = ["contract"]
    search_fields = ["name", "key"]
