"""The outbox, for looking into messages that did not leave; rows are written only by the actions.

The list says at its top how much mail waits, fails or was given up (the same figures as /healthz), and
filters by them; each message shows its last error and its attachments (names and sizes, not contents).
"""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepact.notify.models import Outbox, OutboxAttachment, OutboxStatus
from servicepact.runtime.health import MAIL_GIVEN_UP_SHOWN_FOR, MAIL_OVERDUE_AFTER

ERROR_SHOWN = 120


class TroubleFilter(admin.SimpleListFilter):
    title = _("trouble")
    parameter_name = "trouble"

    def lookups(self, request, model_admin):
        return [
            ("failing", _("Failing (waiting for a retry)")),
            ("overdue", _("Overdue (queued over 30 minutes)")),
            ("given_up", _("Given up after every retry")),
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        return troubled(queryset, self.value(), timezone.now())


def troubled(queryset: QuerySet, trouble: str | None, now) -> QuerySet:
    pending = queryset.filter(status=OutboxStatus.PENDING)
    if trouble == "failing":
        return pending.exclude(last_error="")
    if trouble == "overdue":
        return pending.filter(created_at__lt=now - MAIL_OVERDUE_AFTER)
    if trouble == "given_up":
        return queryset.filter(status=OutboxStatus.FAILED)
    return queryset


class AttachmentInline(admin.TabularInline):
    model = OutboxAttachment
    fields = ["position", "name", "content_type", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    change_list_template = "admin/notify/outbox/change_list.html"
    # What went wrong first, so that it shows beside the admin's menu; the instants last.
    list_display = [
        "subject",
        "status",
        "tries",
        "error",
        "shown_recipients",
        "files",
        "ticket",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", TroubleFilter]
    search_fields = ["subject", "key", "ticket__number", "last_error"]
    list_select_related = ["ticket"]
    readonly_fields = [field.name for field in Outbox._meta.fields]
    inlines = [AttachmentInline]

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).annotate(file_count=Count("attachments"))

    @admin.display(description=_("recipients"))
    def shown_recipients(self, message: Outbox) -> str:
        return ", ".join(message.recipients)

    @admin.display(description=_("attachments"), ordering="file_count")
    def files(self, message: Outbox) -> int:
        return message.file_count

    @admin.display(description=_("last error"))
    def error(self, message: Outbox) -> str:
        text = message.last_error
        return text if len(text) <= ERROR_SHOWN else text[: ERROR_SHOWN - 1] + "…"

    def changelist_view(self, request, extra_context=None):
        now = timezone.now()
        every = Outbox.objects.all()
        pending = every.filter(status=OutboxStatus.PENDING)
        oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
        counts = {
            "pending": pending.count(),
            "failing": troubled(every, "failing", now).count(),
            "overdue": troubled(every, "overdue", now).count(),
            "given_up": troubled(every, "given_up", now).count(),
            "given_up_recently": every.filter(
                status=OutboxStatus.FAILED, next_attempt_at__gte=now - MAIL_GIVEN_UP_SHOWN_FOR
            ).count(),
            "oldest": oldest,
        }
        counts["stuck"] = counts["failing"] or counts["overdue"] or counts["given_up_recently"]
        return super().changelist_view(request, extra_context={**(extra_context or {}), "mail": counts})

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # shown, never changed: a message's state is the sender's to write

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
