"""Words of the dashboards' tables: a clock's name as people read it, a shift's hours."""

from django import template

from servicepact.slm.explain import CLOCK_NAMES

register = template.Library()


@register.filter
def clock_label(clock: str) -> str:
    """ "Response", "Resolution", or an internal clock's own name ("ola:app-support-cn")."""
    return str(CLOCK_NAMES.get(clock, clock))


@register.filter
def names(people) -> str:
    return ", ".join(person.full_name or person.email for person in people)
