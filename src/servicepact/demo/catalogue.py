"""What the reference contract covers in the demonstration: services, categories, responsibility matrix.

Plain data, read by ``scenario.py``; the contract text itself is contracts/examples/globex-ito.yaml.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceSpec:
    key: str
    owning_team: str


@dataclass(frozen=True)
class RouteSpec:
    """One line of the responsibility matrix; the lowest precedence that matches wins."""

    precedence: int
    description: str
    service: str | None = None
    category: str = ""
    team: str | None = None
    to_requester: bool = False


# Service keys and tiers are the contract's; the owning team is the one that runs the application.
SERVICES = [
    ServiceSpec("sap-erp", "app-support-in"),
    ServiceSpec("sso", "globex-security"),
    ServiceSpec("mes-asia", "app-support-cn"),
    ServiceSpec("hr-portal", "app-support-cn"),
]

CATEGORIES = [
    ("how-to", "Question / how to"),
    ("password-reset", "Password reset"),
    ("application-error", "Application error"),
    ("access-request", "Access request"),
    ("data-correction", "Data correction"),
    ("erp-master-data", "ERP master data"),
    ("change-execution", "Change execution"),
    ("hardware-onsite", "Hardware on site"),
    ("local-it", "Local desktop IT"),
]

ROUTES = [
    RouteSpec(5, "Hardware at a site: the hardware vendor", category="hardware-onsite", team="kestrel-onsite"),
    RouteSpec(10, "Single sign-on: Globex security", service="sso", team="globex-security"),
    RouteSpec(20, "Access requests: Globex security", category="access-request", team="globex-security"),
    RouteSpec(30, "Data corrections: Globex data", category="data-correction", team="globex-data"),
    RouteSpec(40, "ERP master data: Globex ERP", category="erp-master-data", team="globex-erp"),
    RouteSpec(
        50, "Transports and deployments: Globex operations", category="change-execution", team="globex-operations"
    ),
    RouteSpec(60, "Globex local desktop IT (ext. 4400)", category="local-it", to_requester=True),
    RouteSpec(100, "SAP ERP: application support India", service="sap-erp", team="app-support-in"),
    RouteSpec(100, "Manufacturing execution: application support China", service="mes-asia", team="app-support-cn"),
    RouteSpec(100, "HR portal: application support China", service="hr-portal", team="app-support-cn"),
    RouteSpec(1000, "Anything else: application support India", team="app-support-in"),
]
