"""Keeping the catalogue: items with their form's fields and fulfilment tasks inline. An item's terms are
checked against its contract (service, category, priority of the matrix, a party's team) on save.
Submitted requests are written by actions only and read here."""

from django import forms
from django.contrib import admin

from servicepact.catalog.actions import item_problems
from servicepact.catalog.models import CatalogItem, ItemField, ItemTask, RequestTask, ServiceRequest
from servicepact.readonly_admin import ReadOnlyAdmin


class ItemForm(forms.ModelForm):
    class Meta:
        model = CatalogItem
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if self.errors or not cleaned.get("contract") or not cleaned.get("service"):
            return cleaned
        candidate = CatalogItem(**{name: value for name, value in cleaned.items() if name != "id"})
        for field, problems in item_problems(candidate).items():
            for problem in problems:
                self.add_error(field, problem)
        return cleaned


class FieldInline(admin.TabularInline):
    model = ItemField
    extra = 1
    fields = ["position", "key", "label", "label_zh", "kind", "required", "choices", "help_text"]


class TaskInline(admin.TabularInline):
    model = ItemTask
    extra = 1
    fields = ["position", "title", "title_zh", "team"]


@admin.register(CatalogItem)
class CatalogItemAdmin(admin.ModelAdmin):
    form = ItemForm
    list_display = ["name", "contract", "service", "priority", "team", "needs_approval", "active", "position"]
    list_filter = ["contract", "needs_approval", "active"]
    list_editable = ["position", "active"]
    search_fields = ["key", "name", "name_zh"]
    list_select_related = ["contract", "service", "team"]
    inlines = [FieldInline, TaskInline]


class RequestTaskInline(admin.TabularInline):
    model = RequestTask
    extra = 0
    can_delete = False
    readonly_fields = ["position", "title", "team", "done_at", "done_by"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "item", "approval", "approver", "submitted_at"]
    list_filter = ["approval", "item__contract"]
    search_fields = ["ticket__number", "item__name"]
    list_select_related = ["ticket", "item", "approver"]
    inlines = [RequestTaskInline]
