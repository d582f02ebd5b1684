"""A ticket's event log as the timeline reads it: who did what, when, with the message or the change.

Events record slugs and e-mail addresses (stable across renames); the timeline shows today's names.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from servicepact.accounts.models import Team, User
from servicepact.contracts.actions import kernel_contract
from servicepact.contracts.models import Category
from servicepact.desk.eventlog import CORRECTABLE_FIELDS
from servicepact.desk.models import EventType, RoutingRule, Status, Ticket, TicketEvent
from servicepact.desk.views.clock_warning_text import notified_people, ola_team_slugs, warning_summary
from servicepact.desk.views.stored_texts import in_readers_language

STATUS_LABELS = dict(Status.choices)


@dataclass
class TimelineEntry:
    seq: int
    type: str
    at: datetime
    actor: User | None
    public: bool
    css: str  # "replied", "note", "warning", "breach" or "change": how the entry is drawn
    summary: str
    body: str = ""
    reason: str = ""
    attachment_id: int | None = None
    rule_id: int | None = None  # the routing rule that sent the ticket, for those who may read the matrix


def _team_names(events: list[TicketEvent], viewer: User) -> dict[str, str]:
    slugs = {event.data.get("team") for event in events if event.data.get("team")}
    slugs |= {slug for event in events if event.type == EventType.CLOCK_WARNING for slug in ola_team_slugs(event.data)}
    return dict(Team.objects.visible_to(viewer).filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}


def _people_names(events: list[TicketEvent], viewer: User) -> dict[str, str]:
    emails = {event.data.get(key) for event in events for key in ("assignee", "watcher") if event.data.get(key)}
    emails |= {
        email for event in events if event.type == EventType.CLOCK_WARNING for email in event.data.get("notified") or []
    }
    if not emails:
        return {}
    return {person.email: str(person) for person in User.objects.visible_to(viewer).filter(email__in=emails)}


@dataclass
class ClassNames:
    """Names of the services (as the ticket's pinned version names them) and categories that events cite."""

    services: dict[str, str]
    categories: dict[str, str]

    def service(self, key: str) -> str:
        return self.services.get(key, key)

    def category(self, key: str) -> str:
        return self.categories.get(key, key) if key else pgettext("category", "none")


def _class_names(ticket: Ticket, events: list[TicketEvent], viewer: User) -> ClassNames:
    """The names, looked up only when an event changed the service or category."""
    changes = [
        event.data
        for event in events
        if event.type == EventType.CORRECTED
        or (event.type == EventType.FIELD and event.data.get("field") in CORRECTABLE_FIELDS)
    ]
    if not changes:
        return ClassNames({}, {})
    services = {key: service.name for key, service in kernel_contract(ticket.contract_version).services.items()}
    cited = {data["category"][side] for data in changes if "category" in data for side in ("old", "new")}
    cited |= {value for data in changes if data.get("field") == "category" for value in (data["old"], data["new"])}
    cited.discard("")
    categories = (
        dict(
            Category.objects.visible_to(viewer)
            .filter(contract_id=ticket.contract_id, key__in=cited)
            .values_list("key", "name")
        )
        if cited
        else {}
    )
    return ClassNames(services, categories)


def _correction_summary(data: dict, names: ClassNames) -> str:
    service, category = data.get("service"), data.get("category")
    if service and category:
        return _(
            "corrected the service from %(old_service)s to %(new_service)s and the category from "
            "%(old_category)s to %(new_category)s"
        ) % {
            "old_service": names.service(service["old"]),
            "new_service": names.service(service["new"]),
            "old_category": names.category(category["old"]),
            "new_category": names.category(category["new"]),
        }
    if service:
        return _("corrected the service from %(old)s to %(new)s") % {
            "old": names.service(service["old"]),
            "new": names.service(service["new"]),
        }
    return _("corrected the category from %(old)s to %(new)s") % {
        "old": names.category(category["old"]),
        "new": names.category(category["new"]),
    }


def _field_summary(data: dict, names: ClassNames) -> str:
    """A ``field`` event: an edit of the title or description, or (recorded before corrections were
    events of their own) a change of the service or category without a reason."""
    field = data.get("field", "")
    if field == "service":
        return _("changed the service from %(old)s to %(new)s") % {
            "old": names.service(data["old"]),
            "new": names.service(data["new"]),
        }
    if field == "category":
        return _("changed the category from %(old)s to %(new)s") % {
            "old": names.category(data["old"]),
            "new": names.category(data["new"]),
        }
    if field == "title":
        return _("changed the title")
    if field == "description":
        return _("changed the description")
    return _("changed %(fields)s") % {"fields": field_label(field)}


def field_label(name: str) -> str:
    """A ticket field's name as the ticket's form calls it, in the reader's language."""
    try:
        return str(Ticket._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _summary(event: TicketEvent, teams: dict[str, str], people: dict[str, str], names: ClassNames) -> str:
    data = event.data
    team = teams.get(data.get("team", ""), data.get("team", ""))
    if event.type == EventType.CREATED:
        if data.get("imported"):
            return _("imported the ticket from %(source)s (%(reference)s), priority %(priority)s") % {
                "source": data["imported"].get("source", "?"),
                "reference": data["imported"].get("reference", "?"),
                "priority": data.get("priority", "?"),
            }
        return _("created the ticket with priority %(priority)s in %(team)s") % {
            "priority": data.get("priority", "?"),
            "team": team,
        }
    if event.type == EventType.STATUS:
        status = data.get("status", "")
        if data.get("merged_into"):
            return _("closed the ticket as a duplicate, merged into %(survivor)s") % {"survivor": data["merged_into"]}
        if data.get("reopen"):
            return _("reopened the ticket (%(status)s)") % {"status": STATUS_LABELS.get(status, status)}
        return _("set the status to %(status)s") % {"status": STATUS_LABELS.get(status, status)}
    if event.type == EventType.PRIORITY:
        return _("changed the priority to %(priority)s") % {"priority": data.get("priority", "?")}
    if event.type == EventType.ASSIGNED:
        return _("handed the ticket to %(team)s") % {"team": team}
    if event.type == EventType.UNASSIGNED:
        return _("took the ticket out of every team's queue")
    if event.type == EventType.AMENDED:
        return _("changed %(fields)s after the ticket was closed") % {
            "fields": ", ".join(field_label(name) for name in sorted(data.get("changes", {})))
        }
    if event.type == EventType.ASSIGNEE:
        assignee = data.get("assignee")
        if not assignee:
            return _("removed the assignee")
        if event.actor is not None and event.actor.email == assignee:
            return _("took the ticket")
        return _("assigned the ticket to %(person)s") % {"person": people.get(assignee, assignee)}
    if event.type == EventType.REPLIED:
        return _("replied")
    if event.type == EventType.NOTE:
        return _("added an internal note")
    if event.type == EventType.ATTACHMENT:
        return _("attached %(name)s") % {"name": data.get("filename", "?")}
    if event.type == EventType.WATCHER:
        person = people.get(data.get("watcher", ""), data.get("watcher", ""))
        if data.get("change") == "removed":
            return _("stopped %(person)s watching") % {"person": person}
        if data.get("merged_from"):
            return _("added %(person)s as a watcher, from the merged %(duplicate)s") % {
                "person": person,
                "duplicate": data["merged_from"],
            }
        return _("added %(person)s as a watcher") % {"person": person}
    if event.type == EventType.CORRECTED:
        return _correction_summary(data, names)
    if event.type == EventType.FIELD:
        return _field_summary(data, names)
    if event.type == EventType.CLOCK_WARNING:
        return warning_summary(data, event.at, teams)
    return event.get_type_display()


def _css(event: TicketEvent) -> str:
    if event.type == EventType.REPLIED:
        return "replied"
    if event.type == EventType.NOTE:
        return "note"
    if event.type == EventType.CLOCK_WARNING:
        return "breach" if event.data.get("breach") else "warning"
    return "change"


def _reason(event: TicketEvent, people: dict[str, str], rules: dict[int, str]) -> str:
    if event.type == EventType.CLOCK_WARNING:
        return notified_people(event.data, people)
    if event.type == EventType.ASSIGNED and event.data.get("rule"):
        # The stored reason names the rule by its database id; people read what the rule matches.
        rule = rules.get(event.data["rule"])
        if rule is None:
            return _("Routed by the responsibility matrix.")
        return _("Routed by the responsibility matrix: %(rule)s.") % {"rule": rule}
    return in_readers_language(event.data.get("reason", "") or event.data.get("priority_reason", ""))


def _rule_texts(events: list[TicketEvent], viewer: User, names: ClassNames) -> dict[int, str]:
    """What each routing rule the events cite matches, for a viewer who may read the matrix."""
    ids = {event.data["rule"] for event in events if event.type == EventType.ASSIGNED and event.data.get("rule")}
    if not ids:
        return {}
    texts = {}
    for rule in RoutingRule.objects.visible_to(viewer).filter(pk__in=ids).select_related("service"):
        texts[rule.pk] = rule_text(rule, names)
    return texts


def rule_text(rule: RoutingRule, names: "ClassNames | None" = None) -> str:
    """A rule in words: its description, else what it matches."""
    if rule.description:
        return rule.description
    service = rule.service and (names.service(rule.service.key) if names else rule.service.key)
    category = rule.category and (names.category(rule.category) if names else rule.category)
    if service and category:
        return _("service %(service)s, category %(category)s") % {"service": service, "category": category}
    if service:
        return _("service %(service)s") % {"service": service}
    if category:
        return _("category %(category)s") % {"category": category}
    return _("the contract's default rule")


def timeline(ticket: Ticket, viewer: User) -> list[TimelineEntry]:
    """The ticket's events that ``viewer`` may see (internal ones only for internal viewers), oldest first;
    names of teams and people they do not see stay as recorded (slug, e-mail)."""
    events = list(TicketEvent.objects.visible_to(viewer).filter(ticket=ticket).select_related("actor").order_by("seq"))
    teams, people = _team_names(events, viewer), _people_names(events, viewer)
    names = _class_names(ticket, events, viewer)
    rules = _rule_texts(events, viewer, names)
    return [
        TimelineEntry(
            seq=event.seq,
            type=event.type,
            at=event.at,
            actor=event.actor,
            public=event.public,
            css=_css(event),
            summary=_summary(event, teams, people, names),
            body=in_readers_language(event.data.get("body", ""))
            if event.type in (EventType.REPLIED, EventType.NOTE)
            else "",
            reason=_reason(event, people, rules),
            attachment_id=event.data.get("attachment") if event.type == EventType.ATTACHMENT else None,
            rule_id=event.data.get("rule") if event.data.get("rule") in rules else None,
        )
        for event in events
    ]
