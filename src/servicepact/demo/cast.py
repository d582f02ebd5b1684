"""Who is who in the demonstration: Globex outsources its applications in Europe and Asia to Northwind.

Plain data, read by ``scenario.py``. Every demo person logs in with the password ``demo``. Nobody is a
superuser: each organization's administrator administers their own organization's people, teams, routing
and tokens (under Administration); Django's admin is for the platform's operator, whom the demo has none of.
"""

from dataclasses import dataclass

from servicepact.accounts.models import OrganizationKind, Role

PASSWORD = "demo"


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    kind: str
    timezone: str


@dataclass(frozen=True)
class TeamSpec:
    slug: str
    name: str
    organization: str
    timezone: str
    is_service_desk: bool = False


@dataclass(frozen=True)
class PersonSpec:
    key: str
    email: str
    full_name: str
    organization: str
    role: str
    team: str | None
    timezone: str
    language: str = "en"


ORGANIZATIONS = [
    OrgSpec("globex", "Globex Corporation", OrganizationKind.CUSTOMER, "Europe/Berlin"),
    OrgSpec("northwind", "Northwind Services", OrganizationKind.PROVIDER, "Europe/Prague"),
    OrgSpec("kestrel", "Kestrel Hardware", OrganizationKind.VENDOR, "Europe/Berlin"),
]

TEAMS = [
    TeamSpec("northwind-desk", "Northwind service desk", "northwind", "Europe/Prague", is_service_desk=True),
    TeamSpec("app-support-cn", "Application support China (afternoon shift)", "northwind", "Asia/Shanghai"),
    TeamSpec("app-support-in", "Application support India", "northwind", "Asia/Kolkata"),
    TeamSpec("service-reporting", "Service reporting", "northwind", "Europe/Prague"),
    TeamSpec("globex-security", "Globex security (SSO)", "globex", "Europe/Berlin"),
    TeamSpec("globex-operations", "Globex operations (change execution)", "globex", "Europe/Berlin"),
    TeamSpec("globex-data", "Globex data", "globex", "Europe/Berlin"),
    TeamSpec("globex-erp", "Globex ERP", "globex", "Europe/Berlin"),
    TeamSpec("kestrel-onsite", "Kestrel on-site hardware", "kestrel", "Europe/Berlin"),
]

PEOPLE = [
    # The customer: people who report, and the IT manager who signs and watches the contract.
    PersonSpec(
        "requester", "requester@globex.example", "Hannah Becker", "globex", Role.REQUESTER, None, "Europe/Berlin"
    ),
    PersonSpec(
        "requester-asia", "li.na@globex.example", "Li Na", "globex", Role.REQUESTER, None, "Asia/Shanghai", "zh-hans"
    ),
    PersonSpec(
        "requester-plant", "tomas.novak@globex.example", "Tomas Novak", "globex", Role.REQUESTER, None, "Europe/Berlin"
    ),
    PersonSpec(
        "customer-manager",
        "manager@globex.example",
        "Claire Dubois",
        "globex",
        Role.CUSTOMER_MANAGER,
        None,
        "Europe/Berlin",
    ),
    # The customer's administrator: Globex's people, teams and tokens.
    PersonSpec(
        "customer-administrator",
        "it-admin@globex.example",
        "Lukas Schmidt",
        "globex",
        Role.ADMINISTRATOR,
        None,
        "Europe/Berlin",
    ),
    # The customer's own resolver teams.
    PersonSpec(
        "security",
        "security@globex.example",
        "Jonas Weber",
        "globex",
        Role.RESOLVER,
        "globex-security",
        "Europe/Berlin",
    ),
    PersonSpec(
        "operations",
        "operations@globex.example",
        "Marta Lopez",
        "globex",
        Role.RESOLVER,
        "globex-operations",
        "Europe/Berlin",
    ),
    PersonSpec("data", "data@globex.example", "Erik Svensson", "globex", Role.RESOLVER, "globex-data", "Europe/Berlin"),
    PersonSpec("erp", "erp@globex.example", "Sofia Rossi", "globex", Role.RESOLVER, "globex-erp", "Europe/Berlin"),
    # The provider: the desk, two application support teams, reporting, administration.
    PersonSpec(
        "agent", "agent@northwind.example", "Pavel Horak", "northwind", Role.AGENT, "northwind-desk", "Europe/Prague"
    ),
    PersonSpec(
        "resolver-cn",
        "wang.fang@northwind.example",
        "Wang Fang",
        "northwind",
        Role.RESOLVER,
        "app-support-cn",
        "Asia/Shanghai",
        "zh-hans",
    ),
    PersonSpec(
        "resolver-in",
        "priya@northwind.example",
        "Priya Raman",
        "northwind",
        Role.RESOLVER,
        "app-support-in",
        "Asia/Kolkata",
    ),
    PersonSpec(
        "team-lead",
        "lead@northwind.example",
        "Arjun Mehta",
        "northwind",
        Role.TEAM_LEAD,
        "app-support-in",
        "Asia/Kolkata",
    ),
    PersonSpec(
        "analyst",
        "analyst@northwind.example",
        "Eva Novotna",
        "northwind",
        Role.REPORTING_ANALYST,
        "service-reporting",
        "Europe/Prague",
    ),
    # The provider's administrator: Northwind's people, teams, tokens and the contract's routing.
    PersonSpec(
        "administrator",
        "admin@northwind.example",
        "Tomas Dvorak",
        "northwind",
        Role.ADMINISTRATOR,
        None,
        "Europe/Prague",
    ),
    # The hardware vendor's engineer, who sees only what reaches the vendor's queue.
    PersonSpec(
        "vendor-engineer",
        "engineer@kestrel.example",
        "Mike Turner",
        "kestrel",
        Role.RESOLVER,
        "kestrel-onsite",
        "Europe/Berlin",
    ),
]
