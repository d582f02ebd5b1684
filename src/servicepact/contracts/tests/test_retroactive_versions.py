"""A version may not take effect before tickets already created under an earlier one.

Tickets follow the version in force when they were created; a version signed later but effective from an
earlier day would move them onto it in every offline recomputation while the service keeps them where
they were. Signing such a version is refused, naming the first day it may take effect.
"""

from datetime import UTC, datetime

import pytest

from servicepact.contracts.actions import register_version, sign_version
from servicepact.contracts.models import ContractVersion, VersionStatus
from servicepact.desk import actions
from servicepact.refusals import ActionRefused


def second_version_text(world, effective_from: str) -> str:
    return world.version.source.replace("version: 1\n", "version: 2\n", 1).replace(
        f"from: {world.version.effective_from.isoformat()}", f"from: {effective_from}", 1
    )


def sign_both(world, version: ContractVersion) -> ContractVersion:
    sign_version(version, actor=world.people["customer-manager"], party="customer")
    return sign_version(version, actor=world.people["administrator"], party="provider")


@pytest.mark.django_db
def test_a_version_effective_before_tickets_created_under_an_earlier_one_is_refused(world):
    # Wednesday 18 March, 00:30 in Berlin (the reporting zone), 17 March in UTC.
    actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting run fails",
        impact="high",
        urgency="medium",
        at=datetime(2026, 3, 17, 23, 30, tzinfo=UTC),
    )
    early = register_version(
        world.contract, actor=world.people["administrator"], source=second_version_text(world, "2026-03-16")
    )
    with pytest.raises(ActionRefused) as refused:
        sign_both(world, early)
    assert refused.value.status == 409
    assert "effective.from on 2026-03-19 or later" in refused.value.errors["effective_from"][0]
    early.refresh_from_db()
    assert early.status == VersionStatus.DRAFT and early.provider_signed_by_id is None

    later = register_version(
        world.contract, actor=world.people["administrator"], source=second_version_text(world, "2026-03-19")
    )
    assert sign_both(world, later).status == VersionStatus.SIGNED
