"""Template filters of the reporting pages: kernel instants and report values for people."""

from datetime import UTC, datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def instant(second: int | None) -> datetime | None:
    """A kernel instant (epoch seconds) as an aware datetime, shown in the viewer's zone by ``date``."""
    return None if second is None else datetime.fromtimestamp(second, tz=UTC)


@register.filter
def verdict_label(verdict: str) -> str:
    return {"met": _("Met"), "missed": _("Missed"), "none": _("Nothing to count")}.get(verdict, verdict)


@register.filter
def clock_state_label(state: str) -> str:
    """A kernel clock state ("met", "breached", ...) in the viewer's language."""
    return {"met": _("Met"), "breached": _("Breached"), "running": _("Running"), "paused": _("Paused")}.get(
        state, state
    )


@register.filter
def clock_label(clock: str) -> str:
    """A contract clock's name ("response", "resolution") in the viewer's language."""
    return {"response": pgettext("clock", "Response"), "resolution": pgettext("clock", "Resolution")}.get(clock, clock)


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key) if mapping else None


@register.filter
def hours(seconds: int | None) -> str:
    """Seconds to the second, for availability's figures: "743 h 00 min 00 s"."""
    if seconds is None:
        return "–"
    whole_hours, rest = divmod(int(seconds), 3600)
    minutes, second = divmod(rest, 60)
    return _("%(hours)d h %(minutes)02d min %(seconds)02d s") % {
        "hours": whole_hours,
        "minutes": minutes,
        "seconds": second,
    }


@register.filter
def utc_instant(text: str | None) -> datetime | None:
    """A report's instant (``2026-03-08T01:00:00Z``) as an aware datetime, shown in the viewer's zone by ``date``."""
    return None if not text else datetime.fromisoformat(text.replace("Z", "+00:00"))
