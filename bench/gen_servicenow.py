"""Writes a synthetic ServiceNow incident audit export (the public export's layout and header) of N incidents.

    .venv/bin/python bench/gen_servicenow.py 1000000 > export.csv
    .venv/bin/python bench/gen_servicenow.py 20000 --seed 3 > small.csv

Shaped on the public "Incident management process enriched event log" (141,712 rows of 24,918 incidents):
about 5.7 rows an incident (New, then Active for about two in three, now and then a wait for the user, a
vendor or a problem, a reassignment or two, a priority raised, a subcategory corrected, Resolved a few
hours or days later, Closed five days after that, a few updated after closing); 80 groups (and "?" for no
group), 60 categories and 250 subcategories, impact, urgency and priority mostly "2", "2" and "3"; local
times without a zone as "29/2/2016 01:16", the incidents opened through 2016 and early 2017 in number
order. Fixed seed: the same N gives the same file.
"""

import argparse
import csv
import random
import sys
from datetime import datetime, timedelta

HEADER = (
    "number,ident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_by,"
    "opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,category,"
    "category,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge,"
    "u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at"
).split(",")
FIRST = datetime(2016, 2, 29, 0, 0)
SPAN_MINUTES = 352 * 24 * 60  # to mid-February 2017
WAITS = ("Awaiting User Info", "Awaiting User Info", "Awaiting User Info", "Awaiting Vendor", "Awaiting Problem")
PRIORITY = {
    ("1", "1"): "1",
    ("1", "2"): "2",
    ("2", "1"): "2",
    ("1", "3"): "3",
    ("3", "1"): "3",
    ("2", "2"): "3",
    ("2", "3"): "4",
    ("3", "2"): "4",
    ("3", "3"): "4",
}


def stamp(moment: datetime) -> str:
    return f"{moment.day}/{moment.month}/{moment.year} {moment.hour:02d}:{moment.minute:02d}"


def incident_rows(number: int, rng: random.Random, opened: datetime) -> list[list[str]]:
    """The rows of one incident: the whole incident after each of its updates."""
    state = {
        "state": "New",
        "group": str(rng.randint(1, 80)) if rng.random() < 0.9 else "?",
        "category": str(rng.randint(1, 60)),
        "subcategory": str(rng.randint(1, 250)),
        "impact": "2",
        "urgency": "2",
        "assignee": "?",
    }
    if rng.random() < 0.06:
        state["impact"], state["urgency"] = rng.choice((("1", "2"), ("3", "2"), ("2", "1"), ("2", "3"), ("1", "1")))
    caller, updates = str(rng.randint(1, 20_000)), []
    at = opened + timedelta(minutes=rng.randint(1, 20))

    def update(minutes: int, **changes: str) -> None:
        nonlocal at
        at += timedelta(minutes=minutes)
        state.update(changes)
        updates.append((at, dict(state)))

    update(0)
    if rng.random() < 0.65:
        update(rng.randint(5, 240), state="Active", group=str(rng.randint(1, 80)), assignee=str(rng.randint(1, 230)))
    for _ in range(rng.choice((0, 0, 1, 1, 2))):  # updates that change no state: who works it
        update(rng.randint(10, 600), assignee=str(rng.randint(1, 230)))
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
        update(rng.randint(30, 1440), group=str(rng.randint(1, 80)))
    if rng.random() < 0.15:
        update(rng.randint(30, 600), state=rng.choice(WAITS))
        update(rng.randint(60, 2880), state="Active")
    if rng.random() < 0.05:
        update(rng.randint(5, 120), impact="1", urgency=rng.choice(("1", "2")))
    if rng.random() < 0.08:
        update(rng.randint(5, 120), subcategory=str(rng.randint(1, 250)))
    update(rng.randint(30, 4320), state="Resolved")
    if rng.random() < 0.02:
        update(rng.randint(60, 1440), state="Active")
        update(rng.randint(60, 1440), state="Resolved")
    update(5 * 1440 + rng.randint(0, 60), state="Closed")
    if rng.random() < 0.003:
        update(rng.randint(60, 1440), group=str(rng.randint(1, 80)))
    resolved = next(moment for moment, values in reversed(updates) if values["state"] == "Resolved")
    closed = updates[-1][0]
    rows = []
    for mod, (moment, values) in enumerate(updates):
        made_sla = "true" if (resolved - opened) < timedelta(days=2) else "false"
        priority = PRIORITY[(values["impact"], values["urgency"])]
        row = [
            f"{number:07d}",
            values["state"],
            "false" if values["state"] == "Closed" else "true",
            "0",
            "0",
            str(mod),
            made_sla,
            caller,
            "17",
            stamp(opened),
            "?",
            "?",
            str(rng.randint(1, 900)),
            stamp(moment),
            "Phone",
            "204",
            values["category"],
            values["subcategory"],
            "491",
            "?",
            values["impact"],
            values["urgency"],
            priority,
            values["group"],
            values["assignee"],
            "false",
            "false",
            "Do Not Notify",
            "?",
            "?",
            "?",
            "?",
            "6",
            "15",
            stamp(resolved),
            stamp(closed),
        ]
        rows.append(row)
    return rows


def write(count: int, stream, seed: int = 1) -> int:
    """Writes the export of ``count`` incidents to ``stream``; the number of rows."""
    rng = random.Random(seed)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(HEADER)
    rows = 0
    # Opening instants rise with the number, as the public export's do.
    for number in range(1, count + 1):
        opened = FIRST + timedelta(minutes=(number - 1) * SPAN_MINUTES // count + rng.randint(0, 59))
        incident = incident_rows(number, rng, opened)
        writer.writerows(incident)
        rows += len(incident)
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("incidents", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    write(args.incidents, sys.stdout, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
