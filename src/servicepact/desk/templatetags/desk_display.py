"""How tickets, times and clocks read on the pages: in the viewer's time zone, with the zone named."""

from datetime import UTC, datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from servicepact.permissions import principal_of

register = template.Library()

# A due time closer than this is shown amber: the queue's "act now" band.
NEAR_DUE = timedelta(hours=1)


@register.filter
def works_tickets(user) -> bool:
    """True for service desk agents, resolvers, team leads and administrators."""
    return principal_of(user).is_staff_member


@register.simple_tag
def when(value: datetime | None, short: bool = False):
    """A <time> element in the active (viewer's) time zone, its zone abbreviation shown."""
    if value is None:
        return format_html('<span class="muted">{}</span>', "—")
    local = timezone.localtime(value)
    # One format everywhere, in every language (no "Dec 1" beside "2026-12-01", no "十二月 1"); ``short``
    # leaves out the year of a time in the current one.
    pattern = "m-d H:i T" if short and local.year == timezone.localtime().year else "Y-m-d H:i T"
    utc = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return format_html('<time datetime="{}" title="{}">{}</time>', utc, utc, format_date(local, pattern))


@register.filter
def span(seconds: int | None) -> str:
    """Seconds as hours and minutes: "1 h 05 min", "12 min", "80 h 00 min".

    Never in days: a clock's time is often business hours, and "3 d 8 h" would read as calendar days.
    """
    if seconds is None:
        return "—"
    seconds = int(seconds)
    minutes, _seconds = divmod(abs(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return ngettext("%(minutes)d min", "%(minutes)d min", minutes) % {"minutes": minutes}


def due_band(due_at: datetime | None, breached: bool = False, now: datetime | None = None) -> str:
    """ "breached", "near", "ok" or "none": how urgent a due time looks in a queue."""
    if breached:
        return "breached"
    if due_at is None:
        return "none"
    remaining = due_at - (now or timezone.now())
    if remaining <= timedelta(0):
        return "breached"
    if remaining <= NEAR_DUE:
        return "near"
    return "ok"


@register.simple_tag
def due(due_at: datetime | None, breached: bool = False, clock: str = ""):
    """A due time relative to now ("in 2 h 10 min", "40 min overdue"), coloured by its own urgency.

    ``clock`` names the clock the time belongs to ("Resolution in 2 h"). A ticket whose other clock breached
    keeps this one's colour: the breach is said apart, by the clock's name. With no running clock, a
    breached ticket reads "breached".
    """
    if due_at is None:
        band = "breached" if breached else "none"
        label = _("breached") if breached else "—"
        return format_html('<span class="due {}">{}</span>', band, label)
    band = due_band(due_at)
    seconds = int((due_at - timezone.now()).total_seconds())
    if seconds >= 0:
        label = _("in %(span)s") % {"span": span(seconds)}
    else:
        label = _("%(span)s overdue") % {"span": span(-seconds)}
    local = format_date(timezone.localtime(due_at), "Y-m-d H:i T")
    if clock:
        return format_html(
            '<span class="due {}" title="{}"><span class="clock-name">{}</span> {}</span>', band, local, clock, label
        )
    return format_html('<span class="due {}" title="{}">{}</span>', band, local, label)


@register.filter
def priority_class(priority: str) -> str:
    return (priority or "").lower()


@register.filter
def percent_of(elapsed: int, target: int) -> int:
    """How much of a clock's target is used, capped at 100 for the meter's width."""
    if not target:
        return 100
    return min(100, round(100 * elapsed / target))


@register.filter
def percent(ratio: float | None) -> str:
    """A ratio as people read a service level: 0.9379 is "93.8 %" (one decimal, the viewer's separator)."""
    if ratio is None:
        return "—"
    return _("%(value)s %%") % {"value": number_format(round(float(ratio) * 100, 1), 1)}
