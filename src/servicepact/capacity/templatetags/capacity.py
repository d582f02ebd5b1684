from django import template

from servicepact.sla.durations import format_duration

register = template.Library()


@register.filter
def duration(seconds):
    """Seconds as the contract language writes them (1h30m); a dash for none."""
    return "–" if seconds is None else format_duration(int(seconds))
