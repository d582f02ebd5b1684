from servicepact.oncall.models.page import Page, PageNotice, PageStatus
from servicepact.oncall.models.policy import EscalationPolicy, EscalationStep, StepTarget
from servicepact.oncall.models.rotation import Override, Rotation, RotationMember, RotationPeriod

__all__ = [
    "EscalationPolicy",
    "EscalationStep",
    "Override",
    "Page",
    "PageNotice",
    "PageStatus",
    "Rotation",
    "RotationMember",
    "RotationPeriod",
    "StepTarget",
]
