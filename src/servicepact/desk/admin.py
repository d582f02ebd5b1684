"""Administration of the responsibility matrix. Tickets and their events are written by actions only."""

from django.contrib import admin

from servicepact.desk.models import RoutingRule, Ticket, TicketEvent


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["contract", "precedence", "service", "category", "team", "to_requester", "description"]
    list_filter = ["contract", "to_requester"]
    list_editable = ["precedence"]
    search_fields = ["category", "description", "team__name", "service__name"]
    ordering = ["contract", "precedence", "id"]


class ViewOnlyAdmin(admin.ModelAdmin):
    """Tickets change through the desk's actions only, and events never: the admin shows, never edits."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(ViewOnlyAdmin):
    list_display = ["number", "title", "status", "priority", "team", "customer", "created_at", "due_at", "breached"]
    list_filter = ["status", "priority", "kind", "breached", "contract"]
    search_fields = ["number", "title"]
    list_select_related = ["team", "customer"]
    date_hierarchy = "created_at"


@admin.register(TicketEvent)
class TicketEventAdmin(ViewOnlyAdmin):
    list_display = ["ticket", "seq", "type", "at", "actor", "public", "hash"]
    list_filter = ["type", "public"]
    search_fields = ["ticket__number"]
    list_select_related = ["ticket", "actor"]
    ordering = ["-at", "ticket", "seq"]
