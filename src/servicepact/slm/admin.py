"""Stored clock states, read-only: the live service computes them from the events and the contract."""

from django.contrib import admin

from servicepact.slm.models import ClockState


@admin.register(ClockState)
class ClockStateAdmin(admin.ModelAdmin):
    list_display = ["ticket", "clock", "priority", "state", "elapsed_s", "target_s", "due_at", "breached_at",
                    "computed_at"]
    list_filter = ["state", "clock", "priority"]
    search_fields = ["ticket__number"]
    list_select_related = ["ticket"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
