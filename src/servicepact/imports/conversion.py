"""From a source ticket to the desk's ticket and events, as docs/imports.md describes.

The ticket is opened (``created``) at its opening instant with its values then, pinned to the contract
version in force at that instant. Its changes are taken update by update (all changes of one source row
at one instant together), in this order within an update: a change of service or category (a
``corrected`` event), of priority, impact or urgency (``priority``), of group (``assigned``, or
``unassigned`` when the group is emptied), of assignee (``assignee``), the first response when the
mapping's rule says this update is it (``replied``), then the state (``status``; a move out of
``resolved`` is a reopen). Once the ticket is closed every later update is one ``amended`` event with the
changed fields. Problems (a value the mapping does not map, a ticket opened when no version was in force)
go to the report; a ticket with a problem gives no plan.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from servicepact.contracts.models import ContractVersion
from servicepact.desk.models import EventType
from servicepact.imports.mapping import LEVELS, Mapping, ValueMap, value_key
from servicepact.imports.report import ImportReport
from servicepact.imports.sources.records import RESPONDED, STATUS, SourceTicket
from servicepact.imports.target import PLACEHOLDER, ImportTarget

OPEN, RESOLVED, CLOSED, NEW = "open", "resolved", "closed", "new"
_FAIL = object()
# The order of the kinds of change within one update.
# Fields an amendment after closing may carry, beside the status and the assignee.
_AMENDABLE = ("service", "category", "team", "priority", "impact", "urgency")


@dataclass(slots=True)
class TicketPlan:
    reference: str
    line: int
    version: ContractVersion
    kind: str
    title: str
    service: str
    category: str
    impact: str
    urgency: str
    priority: str
    priority_overridden: bool
    requester: tuple[str, int | str]  # ("user", pk) or ("placeholder", external id)
    status: str
    team: str | None
    assignee: int | None
    created_at: int
    updated_at: int
    responded_at: int | None
    resolved_at: int | None
    closed_at: int | None
    reopen_count: int
    events: list[tuple[int, str, dict, bool]]  # (at, desk event type, data, public)
    visits: dict[str, int] = field(default_factory=dict)  # team slug -> first instant
    verdicts: dict[str, str] = field(default_factory=dict)


class _Ticket:
    """The state of one ticket while its changes are applied."""

    __slots__ = (
        "source",
        "service",
        "category",
        "impact",
        "urgency",
        "priority",
        "team",
        "assignee",
        "status",
        "responded_at",
        "resolved_at",
        "closed_at",
        "reopen_count",
        "events",
        "visits",
        "amended",
    )

    def __init__(self) -> None:
        self.source: dict[str, str | None] = {}
        self.responded_at = self.resolved_at = self.closed_at = None
        self.reopen_count = 0
        self.events: list[tuple[int, str, dict, bool]] = []
        self.visits: dict[str, int] = {}
        self.amended: dict | None = None  # the fields as the amendments after closing left them


class Converter:
    def __init__(self, target: ImportTarget, mapping: Mapping, report: ImportReport, provenance: dict):
        self.target = target
        self.doc = mapping.doc
        self.report = report
        self.provenance = provenance
        self.kind = self.doc.source.kind
        self._cache: dict[tuple, object] = {}
        self._failed: set[tuple[str, str]] = set()
        self.response_statuses = frozenset(self.doc.response.statuses)

    # -- looking values up -----------------------------------------------------------------------------------

    def _fail(self, vocabulary: str, value: str | None, why: str) -> object:
        shown = "(empty)" if value is None else value
        self._failed.add((vocabulary, shown))
        self.report.unmapped_why.setdefault(vocabulary, {}).setdefault(shown, why)
        return _FAIL

    def _mapped(self, table: ValueMap, value: str | None) -> tuple[bool, str | None]:
        """(found, target) of a value in a value map; a default may hold {value}."""
        if value is not None and value in table.values:
            return True, table.values[value]
        if table.default is not None:
            return True, table.default.replace("{value}", value_key(value)) if value is not None else table.default
        return False, None

    def status(self, value: str) -> object:
        key = ("status", value)
        if key not in self._cache:
            found, target = self._mapped(self.doc.statuses, value)
            self._cache[key] = target if found else _FAIL
        result = self._cache[key]
        if result is _FAIL:
            return self._fail("statuses", value, "not listed, and the map has no default")
        return result

    def level(self, vocabulary: str, table: ValueMap, value: str | None) -> object:
        key = (vocabulary, value)
        if key not in self._cache:
            found, target = self._mapped(table, value)
            self._cache[key] = target if found and target in LEVELS else (_FAIL, target if found else None)
        result = self._cache[key]
        if isinstance(result, tuple):
            why = (
                "not listed, and the map has no default"
                if result[1] is None
                else f"maps to {result[1]!r}, not high, medium or low"
            )
            return self._fail(vocabulary, value, why)
        return result

    def priority(self, value: str | None, impact: str, urgency: str, version: ContractVersion) -> object:
        terms = version.kernel()
        if self.doc.priorities is None:
            try:
                return terms.priority_for(impact, urgency)
            except KeyError:
                return self._fail(
                    "priorities",
                    f"{impact}/{urgency}",
                    f"impact and urgency not in the matrix of {self.target.contract.slug} v{version.number}",
                )
        key = ("priority", value, version.pk)
        if key not in self._cache:
            found, target = self._mapped(self.doc.priorities, value)
            if not found:
                self._cache[key] = (_FAIL, "not listed, and the map has no default")
            elif target not in terms.priorities:
                self._cache[key] = (
                    _FAIL,
                    f"maps to {target!r}, not a priority of {self.target.contract.slug} "
                    f"v{version.number} ({', '.join(terms.priorities)})",
                )
            else:
                self._cache[key] = target
        result = self._cache[key]
        if isinstance(result, tuple):
            return self._fail("priorities", value, result[1])
        return result

    def service(self, value: str | None, version: ContractVersion) -> object:
        key = ("service", value, version.pk)
        if key not in self._cache:
            found, target = self._mapped(self.doc.services, value)
            terms = version.kernel()
            if not found:
                self._cache[key] = (_FAIL, "not listed, and the map has no default")
            elif target not in terms.services or target not in self.target.service_ids:
                self._cache[key] = (
                    _FAIL,
                    f"maps to {target!r}, not a service of {self.target.contract.slug} "
                    f"v{version.number} ({', '.join(sorted(terms.services))})",
                )
            else:
                self._cache[key] = target
        result = self._cache[key]
        if isinstance(result, tuple):
            return self._fail("services", value, result[1])
        return result

    def category(self, value: str | None) -> object:
        table = self.doc.categories
        if table is None or value is None:
            return ""
        key = ("category", value)
        if key not in self._cache:
            found, target = self._mapped(table, value)
            if not found:
                self._cache[key] = (_FAIL, "not listed, and the map has no default")
            elif target is None or target == "":
                self._cache[key] = ""
            else:
                problem = self.target.category_problem(target)
                self._cache[key] = (_FAIL, f"maps to {target!r}: {problem}") if problem else target
        result = self._cache[key]
        if isinstance(result, tuple):
            return self._fail("categories", value, result[1])
        return result

    def team(self, value: str | None) -> object:
        if value is None:
            return None
        key = ("team", value)
        if key not in self._cache:
            found, target = self._mapped(self.doc.teams, value)
            if not found:
                self._cache[key] = (_FAIL, "not listed, and the map has no default")
            elif target is None:
                self._cache[key] = None
            else:
                problem = self.target.team_problem(target)
                if problem:
                    self._cache[key] = (_FAIL, f"maps to {target!r}: {problem}")
                else:
                    self.target.plan_team(target, value)
                    self._cache[key] = target
        result = self._cache[key]
        if isinstance(result, tuple):
            return self._fail("teams", value, result[1])
        return result

    def requester(self, value: str | None) -> object:
        key = ("requester", value)
        if key not in self._cache:
            self._cache[key] = self._person(self.doc.requesters, value, customer=True)
        result = self._cache[key]
        if isinstance(result, tuple) and result[0] is _FAIL:
            return self._fail("requesters", value, result[1])
        if result == PLACEHOLDER:
            return ("placeholder", self.target.placeholder(value))
        return ("user", result)

    def assignee(self, value: str | None) -> object:
        if value is None:
            return None
        if self.doc.assignees is None:
            return _FAIL
        key = ("assignee", value)
        if key not in self._cache:
            self._cache[key] = self._person(self.doc.assignees, value, customer=False)
        result = self._cache[key]
        return _FAIL if isinstance(result, tuple) else result

    def _person(self, table, value: str | None, *, customer: bool):
        """A person's pk, PLACEHOLDER, or (_FAIL, why)."""
        email = table.values.get(value) if value is not None else None
        if email is None and value is not None and table.match_email and "@" in value:
            if self.target.person(value, customer=customer) is not None:
                email = value
        if email is None:
            email = table.default
        if email is None:
            return (_FAIL, "not listed, not a person's e-mail, and the map has no default")
        if email == PLACEHOLDER:
            return PLACEHOLDER
        pk = self.target.person(email, customer=customer)
        if pk is None:
            party = "the customer" if customer else "a party of the contract"
            return (_FAIL, f"maps to {email}, not a person of {party}")
        return pk

    # -- a ticket --------------------------------------------------------------------------------------------

    def convert(self, source: SourceTicket) -> TicketPlan | None:
        """The ticket's plan, or None when it has a problem (in the report)."""
        self._failed = set()
        report = self.report
        version = self.target.version_at(source.opened_at)
        if version is None:
            day = datetime.fromtimestamp(source.opened_at, tz=UTC).date().isoformat()
            report.add_ticket_problem(
                source.line,
                source.reference,
                f"opened on {day}, when no signed version of contract {self.target.contract.slug} was in force",
            )
            return None
        if source.clamped:
            report.approximations["clamped"] = report.approximations.get("clamped", 0) + source.clamped
        state = _Ticket()
        values = dict(source.initial)
        state.source = values
        failed = False
        impact = self.level("impacts", self.doc.impacts, values.get("impact"))
        urgency = self.level("urgencies", self.doc.urgencies, values.get("urgency"))
        priority = _FAIL
        if impact is not _FAIL and urgency is not _FAIL:
            priority = self.priority(values.get("priority"), impact, urgency, version)
        service = self.service(values.get(self.doc.services.from_), version)
        category = self.category(values.get(self.doc.categories.from_)) if self.doc.categories else ""
        team = self.team(values.get("group"))
        requester = self.requester(values.get("requester"))
        assignee = self.assignee(values.get("assignee"))
        if _FAIL in (impact, urgency, priority, service, category, team, requester):
            failed = True
        else:
            state.impact, state.urgency, state.priority = impact, urgency, priority
            state.service, state.category, state.team = service, category, team
            state.assignee = assignee if assignee is not _FAIL else None
            state.status = NEW
            data = {
                "priority": priority,
                "service": service,
                "category": category,
                "team": team,
                "kind": self.kind,
                "impact": impact,
                "urgency": urgency,
                "imported": {**self.provenance, "reference": source.reference},
            }
            state.events.append((source.opened_at, EventType.CREATED, data, True))
            if team is not None:
                state.visits[team] = source.opened_at
            if state.assignee is not None:
                state.events.append(
                    (source.opened_at, EventType.ASSIGNEE, {"assignee": self._email(state.assignee)}, False)
                )
        # Every change is looked at, so that the report lists every unmapped value of the ticket.
        changes = source.changes
        index = 0
        while index < len(changes):
            at, row = changes[index][0], changes[index][1]
            update: dict[str, str | None] = {}
            while index < len(changes) and changes[index][0] == at and changes[index][1] == row:
                update[changes[index][2]] = changes[index][3]
                index += 1
            if not self._apply(state, at, update, version, failed):
                failed = True
        if failed or self._failed:
            for vocabulary, value in self._failed:
                counts = report.unmapped.setdefault(vocabulary, {})
                counts[value] = counts.get(value, 0) + 1
            return None
        responded = state.responded_at is not None
        if not responded:
            report.approximations["no_response"] = report.approximations.get("no_response", 0) + 1
        requester_kind, requester_key = requester
        return TicketPlan(
            reference=source.reference,
            line=source.line,
            version=version,
            kind=self.kind,
            title=self._title(source),
            service=state.service,
            category=state.category,
            impact=state.impact,
            urgency=state.urgency,
            priority=state.priority,
            priority_overridden=self._overridden(state, version),
            requester=(requester_kind, requester_key),
            status=state.status,
            team=state.team,
            assignee=state.assignee,
            created_at=source.opened_at,
            updated_at=state.events[-1][0],
            responded_at=state.responded_at,
            resolved_at=state.resolved_at,
            closed_at=state.closed_at,
            reopen_count=state.reopen_count,
            events=state.events,
            visits=state.visits,
            verdicts=dict(source.verdicts),
        )

    def _apply(
        self, state: _Ticket, at: int, update: dict[str, str | None], version: ContractVersion, failed: bool
    ) -> bool:
        """Apply one update (the changes of one row at one instant); False when a value does not map."""
        report = self.report
        values = state.source
        if "requester" in update and update["requester"] != values.get("requester"):
            report.approximations["requester_changes"] = report.approximations.get("requester_changes", 0) + 1
        # Map every changed value first (so that every unmapped one is listed), then apply.
        new = dict(values)
        new.update((name, value) for name, value in update.items() if not name.startswith("="))
        mapped: dict[str, object] = {}
        if {"impact", "urgency", "priority"} & update.keys():
            impact = self.level("impacts", self.doc.impacts, new.get("impact"))
            urgency = self.level("urgencies", self.doc.urgencies, new.get("urgency"))
            mapped["impact"], mapped["urgency"] = impact, urgency
            if impact is not _FAIL and urgency is not _FAIL:
                mapped["priority"] = self.priority(new.get("priority"), impact, urgency, version)
            else:
                mapped["priority"] = _FAIL
        if self.doc.services.from_ in update:
            mapped["service"] = self.service(new.get(self.doc.services.from_), version)
        if self.doc.categories is not None and self.doc.categories.from_ in update:
            mapped["category"] = self.category(new.get(self.doc.categories.from_))
        if "group" in update:
            mapped["team"] = self.team(new.get("group"))
        if "assignee" in update:
            mapped["assignee"] = self.assignee(new.get("assignee"))
        status = None
        if "state" in update and update["state"] is not None:
            status = self.status(update["state"])
            if status is None:
                report.approximations["ignored_states"] = report.approximations.get("ignored_states", 0) + 1
        elif STATUS in update:
            status = update[STATUS]
        state.source = new
        if status is _FAIL or any(value is _FAIL for name, value in mapped.items() if name != "assignee"):
            return False
        if failed:
            return True
        if state.status == CLOSED:
            self._amend(state, at, mapped, status)
            return True
        self._change(state, at, mapped, status, RESPONDED in update)
        return True

    def _amend(self, state: _Ticket, at: int, mapped: dict[str, object], status) -> None:
        """A change after the ticket was closed: one ``amended`` event with the fields whose values differ
        from those the ticket had after its last amendment (at first: when it was closed)."""
        if state.amended is None:
            state.amended = {
                "status": CLOSED,
                "assignee": self._email(state.assignee) if state.assignee else None,
                **{name: getattr(state, name) for name in _AMENDABLE},
            }
        current = state.amended
        changes = {}
        if status is not None and status != current["status"]:
            changes["status"] = status
        for name in _AMENDABLE:
            if name in mapped and mapped[name] != current[name]:
                changes[name] = mapped[name]
        if "assignee" in mapped and mapped["assignee"] is not _FAIL:
            email = self._email(mapped["assignee"]) if mapped["assignee"] else None
            if email != current["assignee"]:
                changes["assignee"] = email
        if changes:
            current.update(changes)
            state.events.append((at, EventType.AMENDED, {"changes": changes}, True))
            self.report.approximations["after_close"] = self.report.approximations.get("after_close", 0) + 1

    def _change(self, state: _Ticket, at: int, mapped: dict[str, object], status, responded: bool) -> None:
        report = self.report
        events = state.events
        correction = {}
        for name in ("service", "category"):
            if name in mapped and mapped[name] != getattr(state, name):
                correction[name] = {"old": getattr(state, name), "new": mapped[name]}
                setattr(state, name, mapped[name])
        if correction:
            events.append((at, EventType.CORRECTED, correction, True))
            report.approximations["corrections"] = report.approximations.get("corrections", 0) + 1
        if "priority" in mapped:
            levels = (mapped["impact"], mapped["urgency"], mapped["priority"])
            if levels != (state.impact, state.urgency, state.priority):
                state.impact, state.urgency, state.priority = levels
                events.append(
                    (at, EventType.PRIORITY, {"priority": levels[2], "impact": levels[0], "urgency": levels[1]}, True)
                )
        if "team" in mapped and mapped["team"] != state.team:
            team = mapped["team"]
            if team is None:
                events.append((at, EventType.UNASSIGNED, {"from": state.team}, True))
            else:
                events.append((at, EventType.ASSIGNED, {"team": team}, True))
                state.visits.setdefault(team, at)
            state.team = team
        first_assignee = False
        if "assignee" in mapped:
            assignee = mapped["assignee"]
            if assignee is _FAIL:
                report.approximations["assignees_left_out"] = report.approximations.get("assignees_left_out", 0) + 1
            elif assignee != state.assignee:
                first_assignee = assignee is not None and state.responded_at is None
                events.append(
                    (at, EventType.ASSIGNEE, {"assignee": self._email(assignee) if assignee else None}, False)
                )
                state.assignee = assignee
        if state.responded_at is None:
            why = None
            if responded:
                why = "recorded"
            elif status is not None and status in self.response_statuses and status != state.status:
                why = f"status {status}"
                report.approximations["responses_inferred"] = report.approximations.get("responses_inferred", 0) + 1
            elif first_assignee and self.doc.response.assignee:
                why = "assignee"
                report.approximations["responses_inferred"] = report.approximations.get("responses_inferred", 0) + 1
            if why is not None:
                events.append((at, EventType.REPLIED, {"body": "", "from_customer": False, "response_from": why}, True))
                state.responded_at = at
        if status is None:
            return
        if status == state.status:
            return
        data: dict = {"status": status}
        if state.status == RESOLVED and status not in (RESOLVED, CLOSED):
            data["reopen"] = True
            state.reopen_count += 1
            state.resolved_at = None
        if status == RESOLVED:
            state.resolved_at = at
        if status == CLOSED:
            state.closed_at = at
            if state.status != RESOLVED:
                report.approximations["closed_unresolved"] = report.approximations.get("closed_unresolved", 0) + 1
        events.append((at, EventType.STATUS, data, True))
        state.status = status

    # -- helpers ---------------------------------------------------------------------------------------------

    def _email(self, pk: int) -> str | None:
        return self.target.email_of(pk)

    def _overridden(self, state: _Ticket, version: ContractVersion) -> bool:
        try:
            return version.kernel().priority_for(state.impact, state.urgency) != state.priority
        except KeyError:
            return True

    def _title(self, source: SourceTicket) -> str:
        given = source.initial.get("title")
        if given:
            return given[:200]
        values = {name: value or "" for name, value in source.initial.items()}
        values["reference"] = source.reference
        title = self.doc.title
        for name, value in values.items():
            title = title.replace("{" + name + "}", value)
        return title[:200] or source.reference
