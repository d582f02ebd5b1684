"""Administration of the responsibility matrix. Tickets and their events are written by actions only."""

from django.contrib import admin

from servicepact.desk.models import CannedReply, RoutingRule, Ticket, TicketEvent
from servicepact.readonly_admin import ReadOnlyAdmin


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["contract", "precedence", "service", "category", "team", "to_requester", "description"]
    list_filter = ["contract", "to_requester"]
    list_editable = ["precedence"]
    search_fields = ["category", "description", "team__name", "service__key"]
    ordering = ["contract", "precedence", "id"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "team"]
    list_filter = ["team"]
    search_fields = ["title", "body_en", "body_zh"]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "status", "priority", "team", "customer", "created_at", "due_at", "breached"]
    list_filter = ["status", "priority", "kind", "breached", "contract"]
    search_fields = ["number", "title"]
    list_select_related = ["team", "customer"]
    date_hierarchy = "created_at"


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "seq", "type", "at", "actor", "public", "hash"]
    list_filter = ["type", "public"]
    search_fields = ["ticket__number"]
    list_select_related = ["ticket", "actor"]
    ordering = ["-at", "ticket", "seq"]
