"""Service level management in the admin: what the service computed is read-only, subscriptions are edited.

Clock states are recomputed from the events, stored reports and restatements are written once and kept
as they were; only who receives the scheduled reports is administered here.
"""

from django.contrib import admin

from servicepact.readonly_admin import ReadOnlyAdmin
from servicepact.slm.models import ClockState, ReportDelivery, ReportSubscription, Restatement, StoredReport


@admin.register(ClockState)
class ClockStateAdmin(ReadOnlyAdmin):
    list_display = [
        "ticket",
        "clock",
        "priority",
        "state",
        "elapsed_s",
        "target_s",
        "due_at",
        "breached_at",
        "computed_at",
    ]
    list_filter = ["state", "clock", "priority"]
    search_fields = ["ticket__number"]
    list_select_related = ["ticket"]


@admin.register(Restatement)
class RestatementAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "contract_version", "original_version", "at", "actor", "computed_at"]
    list_filter = ["contract_version__contract"]
    search_fields = ["ticket__number", "reason", "actor__email"]
    list_select_related = ["ticket", "contract_version__contract", "original_version__contract", "actor"]
    date_hierarchy = "computed_at"


@admin.register(StoredReport)
class StoredReportAdmin(ReadOnlyAdmin):
    list_display = [
        "contract",
        "kind",
        "scope",
        "scope_key",
        "period_label",
        "contract_version",
        "generated_at",
        "generated_by",
        "restates",
    ]
    list_filter = ["kind", "scope", "contract"]
    search_fields = ["contract__slug", "period_label", "scope_key"]
    list_select_related = ["contract", "contract_version__contract", "generated_by", "restates__contract"]
    date_hierarchy = "period_start"


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["report", "subscription", "status", "tries", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["report__contract__slug", "last_error"]
    list_select_related = ["report__contract", "subscription__contract"]


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["contract", "kind", "recipient_list", "active"]
    list_filter = ["kind", "active", "contract"]
    list_select_related = ["contract"]

    @admin.display(description="recipients")
    def recipient_list(self, subscription: ReportSubscription) -> str:
        return ", ".join(subscription.recipients)
