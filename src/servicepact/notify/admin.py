"""The outbox, for looking into messages that did not leave; rows are written only by the actions."""

from django.contrib import admin

from servicepact.notify.models import Outbox


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "tries", "created_at", "next_attempt_at", "sent_at", "ticket"]
    list_filter = ["status"]
    search_fields = ["subject", "key", "ticket__number"]
    list_select_related = ["ticket"]
    readonly_fields = [field.name for field in Outbox._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
