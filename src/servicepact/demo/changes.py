"""The demonstration's CMDB and changes: a few hundred configuration items behind Globex's four services
(applications, servers, databases, network, storage, laptops), related so that impact analysis reaches the
business services; changes waiting for Globex's approval (two of them in conflict), one rejected, an
emergency change that fixed an SAP incident, a standard change, and a release deployed to test and
production. The contract's changes section names Globex operations as the team that implements."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from servicepact.changes import actions as changes
from servicepact.changes.models import Change, StandardChange
from servicepact.cmdb import actions as cmdb
from servicepact.cmdb.models import ConfigurationItem
from servicepact.desk.models import Ticket
from servicepact.refusals import ActionRefused

CHANGES_SECTION = """
changes:
  implementers: globex-operations
  approval: {low: any, medium: any, high: all}
  freezes:
    - {from: 2026-12-21, to: 2027-01-03, reason: Year-end close}
    - {from: 2027-06-28, to: 2027-07-02, reason: Half-year close, services: [sap-erp]}
"""

# Per service: (applications, application servers, databases, site, zone, owner team)
LANDSCAPE = {
    "sap-erp": (
        ["SAP S/4HANA", "SAP Fiori launchpad", "SAP PI/PO"],
        8,
        2,
        "Frankfurt DC",
        "Europe/Berlin",
        "app-support-in",
    ),
    "sso": (["Identity provider", "Directory"], 6, 1, "Frankfurt DC", "Europe/Berlin", "globex-security"),
    "mes-asia": (["MES core", "MES interface"], 10, 2, "Suzhou plant", "Asia/Shanghai", "app-support-cn"),
    "hr-portal": (["HR portal"], 4, 1, "Suzhou plant", "Asia/Shanghai", "app-support-cn"),
}
LAPTOPS = 200


@dataclass
class ChangesResult:
    items: int = 0
    changes: int = 0

    @property
    def summary(self) -> str:
        return f"demo: recorded {self.items} configuration items and {self.changes} changes, with a release."


def changes_source(text: str) -> str:
    return text.rstrip("\n") + "\n" + CHANGES_SECTION


def _landscape(scenario, rng: random.Random) -> dict[str, ConfigurationItem]:
    contract, people, teams = scenario.contract, scenario.people, scenario.teams
    admin = people["administrator"]
    cmdb.keep_business_services(contract, actor=admin)
    items = {item.key: item for item in ConfigurationItem.objects.filter(contract=contract)}

    def make(key, item_class, name, **fields):
        items[key] = cmdb.create_item(contract, actor=admin, key=key, item_class=item_class, name=name, **fields)
        return items[key]

    def relate(source, kind, target):
        cmdb.relate(items[source], items[target], kind, actor=admin)

    for site, zone in (("fra", "Europe/Berlin"), ("szh", "Asia/Shanghai")):
        for n in (1, 2):
            make(
                f"{site}-core-sw{n}",
                "network_device",
                f"{site.upper()} core switch {n}",
                location=site,
                timezone=zone,
                tier=1,
                attributes={"role": "switch", "model": "Nexus 9300", "ports": 48},
            )
        make(
            f"{site}-fw",
            "network_device",
            f"{site.upper()} firewall",
            location=site,
            timezone=zone,
            tier=1,
            attributes={"role": "firewall", "model": "PA-5220"},
        )
        make(
            f"{site}-san",
            "storage",
            f"{site.upper()} SAN",
            location=site,
            timezone=zone,
            tier=1,
            attributes={"capacity_tb": 400, "model": "PowerStore"},
        )
    for service, (apps, servers, databases, location, zone, owner) in LANDSCAPE.items():
        site = "fra" if zone == "Europe/Berlin" else "szh"
        team = teams.get(owner)
        tier = items[service].tier
        for d in range(1, databases + 1):
            db_host = make(
                f"{service}-dbsrv{d}",
                "server",
                f"{service} database server {d}",
                owner_team=team,
                tier=tier,
                location=location,
                timezone=zone,
                attributes={"os": "SLES 15 SP5", "cpu_cores": 64, "memory_gb": 1024, "environment": "production"},
            )
            make(
                f"{service}-db{d}",
                "database",
                f"{service} database {d}",
                owner_team=team,
                tier=tier,
                location=location,
                timezone=zone,
                attributes={
                    "engine": "hana" if service == "sap-erp" else "postgresql",
                    "size_gb": rng.randint(200, 4000),
                },
            )
            relate(f"{service}-db{d}", "runs_on", db_host.key)
            relate(db_host.key, "connects_to", f"{site}-san")
            relate(db_host.key, "connects_to", f"{site}-core-sw{1 + d % 2}")
        for a, app in enumerate(apps, start=1):
            key = f"{service}-app{a}"
            make(
                key,
                "application",
                app,
                owner_team=team,
                tier=tier,
                location=location,
                timezone=zone,
                attributes={"version": f"{rng.randint(1, 9)}.{rng.randint(0, 20)}", "environment": "production"},
            )
            relate(service, "depends_on", key)
            relate(key, "depends_on", f"{service}-db{1 + (a - 1) % databases}")
        for s in range(1, servers + 1):
            host = make(
                f"{service}-appsrv{s}",
                "server",
                f"{service} application server {s}",
                owner_team=team,
                tier=tier,
                location=location,
                timezone=zone,
                attributes={
                    "os": "RHEL 9",
                    "cpu_cores": 16,
                    "memory_gb": 128,
                    "ip_address": f"10.{tier}.{s}.{rng.randint(2, 250)}",
                    "environment": "production",
                },
            )
            relate(f"{service}-app{1 + (s - 1) % len(apps)}", "runs_on", host.key)
            relate(host.key, "connects_to", f"{site}-core-sw{1 + s % 2}")
        if service == "sap-erp":
            relate(f"{service}-app1", "depends_on", "sso")
    for n in range(1, LAPTOPS + 1):
        site, zone = ("fra", "Europe/Berlin") if n % 3 else ("szh", "Asia/Shanghai")
        make(
            f"laptop-{n:04d}",
            "end_user_device",
            f"Laptop {n:04d}",
            location=site,
            timezone=zone,
            tier=4,
            owner_team=teams.get("kestrel-onsite"),
            attributes={
                "model": rng.choice(["Latitude 7440", "ThinkPad T14", "EliteBook 840"]),
                "serial": f"GX{rng.randint(10**6, 10**7)}",
            },
        )
    return items


def _plan(contract, actor, items, title, keys, start, hours=3, kind="normal", template=None, plan="", backout=""):
    """Raise a change and submit it, moving its window a week on while it meets a freeze."""
    change = changes.raise_change(
        contract,
        actor=actor,
        kind=kind,
        title=title,
        items=[items[key] for key in keys],
        planned_start=start,
        planned_end=start + timedelta(hours=hours),
        implementation_plan=plan or "Follow the runbook.",
        backout_plan=backout or "Restore from the pre-change snapshot.",
        template=template,
    )
    for _ in range(6):
        try:
            return changes.submit(change, actor=actor)
        except ActionRefused:
            start += timedelta(days=7)
            change = changes.update_change(
                change, actor=actor, planned_start=start, planned_end=start + timedelta(hours=hours)
            )
    return change


def record_changes(scenario, end: datetime, *, seed: int = 7) -> ChangesResult:
    rng = random.Random(seed)
    items = _landscape(scenario, rng)
    contract, people = scenario.contract, scenario.people
    lead, manager, operations = people["team-lead"], people["customer-manager"], people["operations"]
    day = end.replace(hour=20, minute=0, second=0, microsecond=0)

    # Waiting for Globex's approval; the two SAP changes overlap on dependent items.
    _plan(
        contract,
        lead,
        items,
        "Apply SAP support package 2026/04",
        ["sap-erp-app1"],
        day + timedelta(days=3),
        plan="Import the support package in the maintenance window; run the regression suite.",
    )
    _plan(contract, lead, items, "Extend the SAP HANA data volume", ["sap-erp-db1"], day + timedelta(days=3, hours=1))
    _plan(contract, lead, items, "Replace FRA core switch 2", ["fra-core-sw2"], day + timedelta(days=6), hours=4)
    _plan(contract, lead, items, "Upgrade the HR portal", ["hr-portal-app1"], day + timedelta(days=8))

    rejected = _plan(
        contract,
        lead,
        items,
        "Migrate MES to the new database cluster",
        ["mes-asia-db1", "mes-asia-db2"],
        day + timedelta(days=5),
        hours=8,
    )
    changes.decide(
        rejected,
        actor=manager,
        approve=False,
        comment="Not while the plant runs three shifts; propose a weekend after the stock count.",
    )

    incident = Ticket.objects.filter(contract=contract, service__key="sap-erp").order_by("-created_at").first()
    emergency = _plan(
        contract,
        lead,
        items,
        "Restart the SAP PI/PO adapter engine",
        ["sap-erp-app3"],
        day - timedelta(days=2, hours=8),
        hours=1,
        kind="emergency",
    )
    changes.decide(emergency, actor=manager, approve=True, comment="Go ahead: the plants cannot post goods receipts.")
    changes.start(emergency, actor=operations)
    changes.finish(emergency, actor=operations, outcome="successful", text="Adapter engine restarted; queues drained.")
    if incident is not None:
        changes.link_ticket(emergency, incident, actor=lead, relation="fixes")
    changes.review(
        emergency, actor=lead, text="A full message queue stopped the adapter; alerting on queue depth added."
    )

    template = StandardChange.objects.create(
        contract=contract,
        key="patch-linux",
        title="Monthly Linux patching",
        implementation_plan="Patch one node at a time behind the load balancer.",
        backout_plan="Boot the previous kernel.",
    )
    standard = _plan(
        contract,
        lead,
        items,
        "",
        ["sso-appsrv1", "sso-appsrv2"],
        day - timedelta(days=9),
        kind="standard",
        template=template,
    )
    changes.start(standard, actor=operations)
    changes.finish(standard, actor=operations, outcome="successful")
    changes.review(standard, actor=lead, text="Patched without interruption.")

    release = changes.create_release(
        contract,
        actor=lead,
        name="SAP platform",
        version="2026.11",
        notes="Fiori launchpad theme, PI/PO adapter patch, HANA revision 77.",
    )
    for title, key, offset in (("Fiori launchpad theme", "sap-erp-app2", 16), ("HANA revision 77", "sap-erp-db1", 15)):
        change = _plan(contract, lead, items, title, [key], day - timedelta(days=offset))
        for member in change.board:
            changes.decide(change, actor=type(manager).objects.get(pk=member), approve=True, comment="Approved.")
        changes.start(change, actor=operations)
        changes.finish(change, actor=operations, outcome="successful")
        changes.add_to_release(release, change, actor=lead)
    changes.deploy(release, actor=lead, environment="test", notes="Regression suite green.")
    changes.deploy(release, actor=lead, environment="production", notes="Deployed in the Sunday window.")
    return ChangesResult(
        items=ConfigurationItem.objects.filter(contract=contract).count(),
        changes=Change.objects.filter(contract=contract).count(),
    )
