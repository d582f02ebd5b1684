from servicepact.rosters.models.pattern import ShiftChange, ShiftPattern
from servicepact.rosters.models.roster import RosterEntry, ShiftSwap
from servicepact.rosters.models.sun import SunTeam

__all__ = ["RosterEntry", "ShiftChange", "ShiftPattern", "ShiftSwap", "SunTeam"]
