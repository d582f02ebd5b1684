from servicepact.contracts.models.contract import Contract
from servicepact.contracts.models.service import Category, Service, attach_terms, attach_terms_in_force
from servicepact.contracts.models.version import ContractVersion, VersionStatus

__all__ = [
    "Category",
    "Contract",
    "ContractVersion",
    "Service",
    "VersionStatus",
    "attach_terms",
    "attach_terms_in_force",
]
