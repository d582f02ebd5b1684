"""Who may see and do what: the access layer, the one place that knows the roles.

- ``principal``: a person's standing (``Principal``, ``principal_of``); roles and teams count only in the
  person's own organization.
- ``querysets``: ``AccessQuerySet.visible_to(user)``, which every tenant model's manager has, and the
  table of each model's rule. Views, the API, template tags and exports reach tenant data through it
  only; a test scans them for any other way (tests/test_access_layer.py).
- ``tickets``, ``contracts``, ``reports``, ``people``: each rule twice, as the predicate the actions check
  and the pages and operations declare (``can_work_ticket``...), and as the queryset filter ``visible_to``
  applies; ``clocks``: which clocks (OLA and underpinning contracts) a person sees.
- ``declared``: the decorators that declare each page's and each API operation's permission beside it.

This package imports no model: the models import it (for their managers), and it names models by label.
"""

from servicepact.permissions.clocks import (
    ClockSight,
    clock_sight,
    discloses_internal_clocks,
    is_internal_clock,
    mailed_report_sight,
    report_clock_sight,
)
from servicepact.permissions.contracts import (
    TEXT_READER_ROLES,
    can_register_version,
    can_sign,
    reads_contract_text,
    reads_contracts,
)
from servicepact.permissions.imports import can_import, can_read_import, imports_somewhere, reads_imports
from servicepact.permissions.principal import (
    ANONYMOUS,
    COUNTED_MEMBERSHIP_OF_USER,
    COUNTED_MEMBERSHIPS,
    ORGANIZATION_WIDE_ROLES,
    STAFF_ROLES,
    TRIAGE_ROLES,
    Principal,
    principal_of,
)
from servicepact.permissions.reports import (
    can_backtest,
    can_read_report,
    can_read_reports,
    can_restate_report,
    reads_reports,
)
from servicepact.permissions.tickets import (
    RESTATING_ROLES,
    can_change_watchers,
    can_close,
    can_create_ticket,
    can_reopen,
    can_reply,
    can_restate,
    can_see_internal,
    can_see_restatements,
    can_see_ticket,
    can_triage,
    can_work_ticket,
    is_requester_side,
    speaks_for_customer,
)

__all__ = [
    "ANONYMOUS",
    "COUNTED_MEMBERSHIPS",
    "COUNTED_MEMBERSHIP_OF_USER",
    "ClockSight",
    "ORGANIZATION_WIDE_ROLES",
    "Principal",
    "RESTATING_ROLES",
    "STAFF_ROLES",
    "TEXT_READER_ROLES",
    "TRIAGE_ROLES",
    "can_backtest",
    "can_change_watchers",
    "can_close",
    "can_import",
    "can_read_import",
    "imports_somewhere",
    "reads_imports",
    "can_register_version",
    "can_sign",
    "reads_contracts",
    "can_create_ticket",
    "can_read_report",
    "can_read_reports",
    "can_reopen",
    "can_reply",
    "can_restate",
    "can_restate_report",
    "can_see_internal",
    "can_see_restatements",
    "can_see_ticket",
    "can_triage",
    "can_work_ticket",
    "clock_sight",
    "discloses_internal_clocks",
    "is_internal_clock",
    "is_requester_side",
    "mailed_report_sight",
    "principal_of",
    "reads_contract_text",
    "reads_reports",
    "report_clock_sight",
    "speaks_for_customer",
]
