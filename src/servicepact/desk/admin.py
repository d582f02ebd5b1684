"""Administration of the responsibility matrix. Tickets and their events are written by actions only."""

from django.contrib import admin

from servicepact.desk.models import RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["contract", "precedence", "service", "category", "team", "to_requester", "description"]
    list_filter = ["contract", "to_requester"]
    list_editable = ["precedence"]
    search_fields = ["category", "description", "team__name", "service__name"]
    ordering = ["contract", "precedence", "id"]
