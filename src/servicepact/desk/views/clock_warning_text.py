"""A ``clock_warning`` event in words for the timeline: which clock, how far, when due, who was told.

Instants are shown in the active time zone (the viewer's), with its abbreviation.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from servicepact.sla.contract_model import OLA_CLOCK_PREFIX
from servicepact.slm.explain import CLOCK_NAMES

ROLE_NAMES = {
    "assignee": gettext_lazy("assignee"),
    "team_lead": gettext_lazy("team lead"),
    "on_call": gettext_lazy("on call"),
    "customer_manager": gettext_lazy("customer manager"),
    "requester": gettext_lazy("requester"),
    "watchers": gettext_lazy("watchers"),
}


def clock_name(clock: str, teams: dict[str, str]) -> str:
    """ "Resolution", or "OLA · Application support China" for a team's OLA clock."""
    if clock.startswith(OLA_CLOCK_PREFIX):
        slug = clock[len(OLA_CLOCK_PREFIX) :]
        return _("OLA · %(team)s") % {"team": teams.get(slug, slug)}
    return str(CLOCK_NAMES.get(clock, clock))


def ola_team_slugs(data: dict) -> set[str]:
    clock = data.get("clock") or ""
    return {clock[len(OLA_CLOCK_PREFIX) :]} if clock.startswith(OLA_CLOCK_PREFIX) else set()


def _instant(text: str | None, day_of: datetime) -> str:
    """The instant in the viewer's zone; its date only when it is not the day of the event."""
    value = parse_datetime(text) if text else None
    if value is None:
        return "—"
    local = timezone.localtime(value)
    same_day = local.date() == timezone.localtime(day_of).date()
    if same_day:
        return format_date(local, "H:i T")
    return format_date(local, pgettext("an instant on another day, a date format", "M j, H:i T"))


def warning_summary(data: dict, at: datetime, teams: dict[str, str]) -> str:
    """ "Resolution clock at 75 % of its target (due 14:30 CET); notified: assignee, team lead"."""
    values = {"clock": clock_name(data.get("clock", "?"), teams), "percent": data.get("percent", "?")}
    if data.get("breach"):
        values["at"] = _instant(data.get("reached_at") or data.get("due_at"), at)
        text = _("%(clock)s clock breached its target at %(at)s") % values
    else:
        values["due"] = _instant(data.get("due_at"), at)
        text = _("%(clock)s clock at %(percent)s %% of its target (due %(due)s)") % values
    roles = ", ".join(str(ROLE_NAMES.get(role, role)) for role in data.get("roles") or [])
    if not roles:
        return text
    if not data.get("notified"):
        return _("%(text)s; nobody to notify as %(roles)s") % {"text": text, "roles": roles}
    return _("%(text)s; notified: %(roles)s") % {"text": text, "roles": roles}


def notified_people(data: dict, people: dict[str, str]) -> str:
    """ "Sent to Li Wei, Anna Schmidt": the people the warning went to, by today's names."""
    names = [people.get(email, email) for email in data.get("notified") or []]
    return _("Sent to %(people)s") % {"people": ", ".join(names)} if names else ""
