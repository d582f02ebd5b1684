from servicepact.slm.models.clock import ClockState, ClockStateKind

__all__ = ["ClockState", "ClockStateKind"]
