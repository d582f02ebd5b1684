"""CSV import and export of a contract's configuration items and relationships.

Items: one row per item, columns ``key, name, class, owner_team, tier, location, timezone, lifecycle``
and one column per attribute (``os``, ``cpu_cores``...; an empty cell sets nothing). Relationships:
``source, kind, target`` (item ids). An import checks every row first and reports every bad one by file,
line and field; a dry run stops there and changes nothing, and a real run with any bad row is refused
whole. A clean real run creates or updates the items (by id) and adds the relationships in one
transaction. Business services come from the contract: their rows may set only the owner team, the
location, the time zone and the lifecycle.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from servicepact.accounts.models import Team
from servicepact.cmdb import actions
from servicepact.cmdb.classes import ATTRIBUTES, ItemClass
from servicepact.cmdb.models import ConfigurationItem, Lifecycle, RelationKind, Relationship
from servicepact.contracts.models import Contract
from servicepact.refusals import ActionRefused

ITEM_COLUMNS = ["key", "name", "class", "owner_team", "tier", "location", "timezone", "lifecycle"]
RELATIONSHIP_COLUMNS = ["source", "kind", "target"]
MAX_ROWS = 20000


@dataclass(frozen=True)
class Problem:
    file: str  # "items" or "relationships"
    line: int
    field: str
    message: str


@dataclass
class ImportReport:
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    related: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "ok": self.ok,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "related": self.related,
            "problems": [problem.__dict__ for problem in self.problems],
        }


class ImportRefusedError(ActionRefused):
    def __init__(self, report: ImportReport):
        super().__init__(_("The files have bad rows; nothing was imported."), status=422)
        self.report = report


def _rows(text: str, required: list[str], name: str, report: ImportReport) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [column.strip() for column in (reader.fieldnames or [])]
    missing = [column for column in required if column not in header]
    if missing:
        report.problems.append(Problem(name, 1, missing[0], _("the header lacks the column %(c)s") % {"c": missing[0]}))
        return []
    reader.fieldnames = header
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            report.problems.append(Problem(name, reader.line_num, "", _("more than %(n)d rows") % {"n": MAX_ROWS}))
            break
        if None in row:
            report.problems.append(Problem(name, reader.line_num, "", _("more cells than columns")))
            continue
        rows.append((reader.line_num, {key: (value or "").strip() for key, value in row.items()}))
    return rows


@dataclass
class PlannedItem:
    line: int
    key: str
    item_class: str
    fields: dict
    existing: ConfigurationItem | None


def _plan_items(contract: Contract, rows, report: ImportReport) -> list[PlannedItem]:
    existing = {item.key: item for item in ConfigurationItem.objects.filter(contract=contract)}
    teams = {team.slug: team for team in Team.objects.filter(organization_id__in=actions._party_ids(contract))}
    seen: set[str] = set()
    planned = []
    for line, row in rows:
        problems_before = len(report.problems)

        def bad(column: str, message: str, line=line) -> None:
            report.problems.append(Problem("items", line, column, message))

        key = row.get("key", "")
        if not key or len(key) > 80 or not all(ch.isalnum() or ch in "-_." for ch in key):
            bad("key", _("an item id is letters, digits, -, _ or . (at most 80): %(v)s") % {"v": key})
        elif key in seen:
            bad("key", _("the id %(v)s is given twice") % {"v": key})
        seen.add(key)
        item = existing.get(key)
        item_class = row.get("class", "")
        if item_class not in ItemClass.values:
            bad("class", _("unknown class %(v)s") % {"v": item_class})
        elif item is not None and item.item_class != item_class:
            bad("class", _("%(key)s is a %(was)s; its class cannot change") % {"key": key, "was": item.item_class})
        fields: dict = {}
        if row.get("name"):
            fields["name"] = row["name"][:200]
        elif item is None:
            bad("name", _("a new item needs a name"))
        if row.get("owner_team"):
            team = teams.get(row["owner_team"])
            if team is None:
                bad("owner_team", _("no team %(v)s among the contract's parties") % {"v": row["owner_team"]})
            fields["owner_team"] = team
        if row.get("tier"):
            if row["tier"] not in ("1", "2", "3", "4"):
                bad("tier", _("the tier is 1, 2, 3 or 4, not %(v)s") % {"v": row["tier"]})
            else:
                fields["tier"] = int(row["tier"])
        for column in ("location", "timezone"):
            if row.get(column):
                fields[column] = row[column][:120]
        if row.get("lifecycle"):
            if row["lifecycle"] not in Lifecycle.values:
                bad("lifecycle", _("unknown lifecycle status %(v)s") % {"v": row["lifecycle"]})
            fields["lifecycle"] = row["lifecycle"]
        attributes = {name: value for name, value in row.items() if name not in ITEM_COLUMNS and value}
        if item_class in ItemClass.values:
            fields["attributes"] = {**(item.attributes if item else {}), **attributes}
        if item_class == ItemClass.BUSINESS_SERVICE and item is None and key:
            bad("key", _("%(v)s is not a service of the contract; add services in the contract") % {"v": key})
        if len(report.problems) > problems_before:
            continue
        try:
            if item is None:
                actions.clean_item_fields(contract, {"item_class": item_class, **fields})
            else:
                actions.clean_item_fields(contract, fields, item=item)
        except ActionRefused as refused:
            for column, messages in refused.errors.items():
                for message in messages:
                    report.problems.append(Problem("items", line, column, message))
            continue
        planned.append(PlannedItem(line, key, item_class, fields, item))
    return planned


def _plan_relationships(contract: Contract, rows, keys: set[str], report: ImportReport) -> list[tuple]:
    planned = []
    for line, row in rows:
        source, kind, target = row.get("source", ""), row.get("kind", ""), row.get("target", "")
        ok = True
        for column, value in (("source", source), ("target", target)):
            if value not in keys:
                report.problems.append(Problem("relationships", line, column, _("no item %(v)s") % {"v": value}))
                ok = False
        if kind not in RelationKind.values:
            message = _("the kind is one of %(c)s, not %(v)s") % {"c": ", ".join(RelationKind.values), "v": kind}
            report.problems.append(Problem("relationships", line, "kind", message))
            ok = False
        if ok and source == target:
            report.problems.append(Problem("relationships", line, "target", _("an item cannot relate to itself")))
            ok = False
        if ok:
            planned.append((source, kind, target))
    return planned


def import_csv(contract: Contract, *, actor, items_text: str = "", relationships_text: str = "", dry_run: bool):
    """Check (and unless ``dry_run``, import) the two files; raises ImportRefusedError with every bad row."""
    if not actions.can_keep_items(actor, contract):
        raise actions.PermissionDenied(_("You may not keep this contract's configuration items."))
    report = ImportReport(dry_run=dry_run)
    if not dry_run:
        actions.keep_business_services(contract, actor=actor)
    item_rows = _rows(items_text, ITEM_COLUMNS[:3], "items", report) if items_text.strip() else []
    relation_rows = (
        _rows(relationships_text, RELATIONSHIP_COLUMNS, "relationships", report) if relationships_text.strip() else []
    )
    planned = _plan_items(contract, item_rows, report)
    keys = set(ConfigurationItem.objects.filter(contract=contract).values_list("key", flat=True))
    keys |= {row.get("key", "") for _, row in item_rows}
    relations = _plan_relationships(contract, relation_rows, keys, report)
    if not report.ok:
        raise ImportRefusedError(report)
    if dry_run:
        report.created = sum(1 for plan in planned if plan.existing is None)
        report.updated = len(planned) - report.created
        report.related = len(relations)
        return report
    with transaction.atomic():
        for plan in planned:
            if plan.existing is None:
                fields = dict(plan.fields)
                actions.create_item(
                    contract, actor=actor, key=plan.key, item_class=plan.item_class, name=fields.pop("name"), **fields
                )
                report.created += 1
            else:
                before = plan.existing.updated_at
                updated = actions.update_item(plan.existing, actor=actor, **plan.fields)
                if updated.updated_at != before:
                    report.updated += 1
                else:
                    report.unchanged += 1
        items = {item.key: item for item in ConfigurationItem.objects.filter(contract=contract)}
        present = set(
            Relationship.objects.filter(source__contract=contract).values_list("source__key", "kind", "target__key")
        )
        for source, kind, target in relations:
            if (source, kind, target) not in present:
                actions.relate(items[source], items[target], kind, actor=actor)
                present.add((source, kind, target))
                report.related += 1
    return report


def export_items(items) -> str:
    attribute_names = sorted({name for names in ATTRIBUTES.values() for name in names})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ITEM_COLUMNS + attribute_names)
    for item in items:
        writer.writerow(
            [
                item.key,
                item.name,
                item.item_class,
                item.owner_team.slug if item.owner_team else "",
                item.tier,
                item.location,
                item.timezone,
                item.lifecycle,
            ]
            + [item.attributes.get(name, "") for name in attribute_names]
        )
    return out.getvalue()


def export_relationships(relationships) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RELATIONSHIP_COLUMNS)
    for relationship in relationships:
        writer.writerow([relationship.source.key, relationship.kind, relationship.target.key])
    return out.getvalue()
