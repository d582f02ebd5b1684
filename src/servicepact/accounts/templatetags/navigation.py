"""``{% header_sections as sections %}``: the header's links for the person looking at the page."""

from django import template

from servicepact.navigation import Section
from servicepact.navigation import header_sections as sections_for

register = template.Library()


@register.simple_tag(takes_context=True)
def header_sections(context) -> list[Section]:
    request = context.get("request")
    return [] if request is None else sections_for(request)
