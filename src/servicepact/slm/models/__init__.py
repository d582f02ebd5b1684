from servicepact.slm.models.clock import ClockState, ClockStateKind
from servicepact.slm.models.restatement import Restatement

__all__ = ["ClockState", "ClockStateKind", "Restatement"]
