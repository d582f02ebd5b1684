"""``{% notice_bell %}``: the header's bell with the person's unread notices, refreshed by HTMX every minute."""

from django import template

from servicepact.notify.models import Notice

register = template.Library()


@register.inclusion_tag("notify/bell.html", takes_context=True)
def notice_bell(context) -> dict:
    user = context["request"].user
    unread = Notice.objects.visible_to(user).filter(read_at__isnull=True).count() if user.is_authenticated else 0
    return {"unread": unread, "user": user}
