"""Template filters of the reporting pages: kernel instants and report values for people."""

from datetime import datetime, timezone as dt_timezone

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def instant(second: int | None) -> datetime | None:
    """A kernel instant (epoch seconds) as an aware datetime, shown in the viewer's zone by ``date``."""
    return None if second is None else datetime.fromtimestamp(second, tz=dt_timezone.utc)


@register.filter
def verdict_label(verdict: str) -> str:
    return {"met": _("Met"), "missed": _("Missed"), "none": _("Nothing to count")}.get(verdict, verdict)


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key) if mapping else None
