from servicepact.problems.models.known_error import KnownError, KnownErrorHistory, TicketKnownError
from servicepact.problems.models.problem import Cause, Problem, ProblemHistory, ProblemIncident, ProblemStatus
from servicepact.problems.models.suggestion import (
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW_DAYS,
    ProblemSuggestion,
    RecurrenceSettings,
    SuggestionHistory,
    SuggestionStatus,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_WINDOW_DAYS",
    "Cause",
    "KnownError",
    "KnownErrorHistory",
    "Problem",
    "ProblemHistory",
    "ProblemIncident",
    "ProblemStatus",
    "ProblemSuggestion",
    "RecurrenceSettings",
    "SuggestionHistory",
    "SuggestionStatus",
    "TicketKnownError",
]
