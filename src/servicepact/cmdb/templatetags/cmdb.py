"""``{% ticket_items ticket %}``: the configuration items a ticket names, on the ticket's page, with the
form to name another for those who work the ticket."""

from django import template

from servicepact.cmdb.models import ConfigurationItem, TicketItem
from servicepact.permissions.cmdb import can_link_items, reads_cmdb

register = template.Library()
MAX_CHOICES = 500


@register.inclusion_tag("cmdb/ticket_items.html", takes_context=True)
def ticket_items(context, ticket) -> dict:
    user = context["request"].user
    if not reads_cmdb(user):
        return {"hidden": True}
    links = TicketItem.objects.visible_to(user).filter(ticket=ticket).select_related("item")
    may_link = can_link_items(user, ticket)
    choices = []
    if may_link:
        items = ConfigurationItem.objects.visible_to(user).filter(contract_id=ticket.contract_id)
        choices = list(items.order_by("key").values_list("key", "name")[:MAX_CHOICES])
    return {"ticket": ticket, "links": links, "may_link": may_link, "choices": choices, "request": context["request"]}
