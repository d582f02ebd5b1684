"""What a signer reviews before signing: the version's changes since the previous signed version.

The changes are the kernel's clause-by-clause diff (``servicepact contract diff A B``), so the page, the
API and the command line show the same lines.
"""

from dataclasses import dataclass
from itertools import groupby

from servicepact.contracts.models import ContractVersion
from servicepact.sla.contract_diff import Change, diff_contracts


@dataclass(frozen=True)
class Review:
    version: ContractVersion
    previous: ContractVersion | None  # None: no signed version comes before this one
    changes: list[Change]

    @property
    def by_clause(self) -> list[tuple[str, list[Change]]]:
        """The changes grouped by clause (metadata, calendars, services …), in the diff's order."""
        return [(clause, list(changes)) for clause, changes in groupby(self.changes, key=lambda c: c.clause)]

    def as_json(self) -> dict:
        return {
            "contract": self.version.contract.slug,
            "version": self.version.number,
            "sha256": self.version.sha256,
            "previous": None
            if self.previous is None
            else {"version": self.previous.number, "sha256": self.previous.sha256},
            "identical": self.previous is not None and not self.changes,
            "changes": [change.as_json() for change in self.changes],
        }


def previous_signed(version: ContractVersion) -> ContractVersion | None:
    """The signed version of the same contract with the highest number below ``version``'s."""
    return (
        ContractVersion.objects.signed()
        .filter(contract_id=version.contract_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def review(version: ContractVersion) -> Review:
    previous = previous_signed(version)
    changes = [] if previous is None else diff_contracts(previous.kernel(), version.kernel())
    return Review(version, previous, changes)
