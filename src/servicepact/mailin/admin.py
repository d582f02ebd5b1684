from django.contrib import admin

from servicepact.mailin.models import InboundMessage, Mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "contract", "host", "enabled", "last_read_at", "last_error"]
    list_filter = ["enabled"]
    autocomplete_fields = []


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "mailbox", "sender", "subject", "status", "ticket"]
    list_filter = ["status"]
    readonly_fields = ["mailbox", "uid_validity", "uid", "message_id", "sender", "subject", "received_at", "ticket"]
    exclude = ["raw"]
