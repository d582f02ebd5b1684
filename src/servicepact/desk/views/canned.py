"""Canned replies offered in a ticket's reply box: those of the agent's own teams, in the agent's language
(English where no Chinese text is kept), placeholders filled from the ticket."""

from dataclasses import dataclass

from django.utils.translation import get_language

from servicepact.desk.models import CannedReply, Ticket


@dataclass
class Canned:
    title: str
    text: str


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"  # an unknown placeholder stays as written


def canned_replies(user, ticket: Ticket) -> list[Canned]:
    replies = CannedReply.objects.visible_to(user)
    chinese = (get_language() or "").startswith("zh")
    values = _Blank(
        requester=str(ticket.requester), number=ticket.number, title=ticket.title, agent=user.get_short_name()
    )
    offered = []
    for reply in replies.order_by("title"):
        body = reply.body_zh if chinese and reply.body_zh else reply.body_en
        try:
            text = body.format_map(values)
        except (ValueError, IndexError):  # a lone brace: the text as written
            text = body
        offered.append(Canned(reply.title, text))
    return offered
