"""Administration of contracts, their versions (read-only once signed), services and categories."""

import hashlib

from django.contrib import admin

from servicepact.contracts.models import Category, Contract, ContractVersion, Service, VersionStatus


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0
    fields = ["key", "name", "tier", "owning_team"]


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "customer", "provider"]
    search_fields = ["slug", "title"]
    filter_horizontal = ["vendors"]
    inlines = [ServiceInline, CategoryInline]


@admin.register(ContractVersion)
class ContractVersionAdmin(admin.ModelAdmin):
    list_display = ["contract", "number", "status", "effective_from", "effective_to", "short_sha256"]
    list_filter = ["status", "contract"]
    readonly_fields = ["sha256", "created_at"]

    @admin.display(description="SHA-256")
    def short_sha256(self, version: ContractVersion) -> str:
        return version.sha256[:12]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == VersionStatus.SIGNED:
            # A signed version never changes: every field is shown, none is editable.
            return [field.name for field in obj._meta.fields]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status == VersionStatus.SIGNED:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.sha256 = hashlib.sha256(obj.source.encode()).hexdigest()
        super().save_model(request, obj, form, change)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "contract", "tier", "owning_team"]
    list_filter = ["contract", "tier"]
    search_fields = ["name", "key"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "contract"]
    list_filter = ["contract"]
    search_fields = ["name", "key"]
