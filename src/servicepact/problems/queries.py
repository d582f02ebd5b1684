"""Reads of problem management: the known errors that match a ticket, and the causes of a period."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet

from servicepact.problems.models import Cause, KnownError, Problem

# A known error of the ticket's service scores 2, of its category 1 more, and each keyword found 1.
SERVICE_SCORE, CATEGORY_SCORE, WORD_SCORE = 2, 1, 1
MATCH_LIMIT = 5


def matching_known_errors(ticket, user, limit: int = MATCH_LIMIT) -> list[tuple[KnownError, int]]:
    """The active known errors of the ticket's contract that match it, best first, with their scores.

    A known error matches when it is of the ticket's service or one of its keywords is a word of the
    ticket's title or description; the ticket's category adds to a service match.
    """
    candidates = (
        KnownError.objects.visible_to(user)
        .filter(active=True, problem__contract_id=ticket.contract_id)
        .select_related("problem", "problem__service")
    )
    text = f"{ticket.title}\n{ticket.description}".lower()
    scored = []
    for known in candidates:
        score = 0
        if known.problem.service_id == ticket.service_id:
            score += SERVICE_SCORE
            if known.problem.category and known.problem.category == ticket.category:
                score += CATEGORY_SCORE
        score += WORD_SCORE * sum(1 for word in known.words if word in text)
        if score:
            scored.append((known, score))
    scored.sort(key=lambda pair: (-pair[1], -pair[0].published_at.timestamp()))
    return scored[:limit]


def problems_in_period(problems: QuerySet[Problem], start: datetime, end: datetime) -> QuerySet[Problem]:
    return problems.filter(Q(opened_at__gte=start, opened_at__lt=end) | Q(closed_at__gte=start, closed_at__lt=end))


def causes_in_period(problems: QuerySet[Problem], start: datetime, end: datetime) -> list[dict]:
    """Per kind of cause: the problems opened and closed in [start, end), in the order of ``Cause``."""
    opened = dict(problems.filter(opened_at__gte=start, opened_at__lt=end).values_list("cause").annotate(n=Count("id")))
    closed = dict(problems.filter(closed_at__gte=start, closed_at__lt=end).values_list("cause").annotate(n=Count("id")))
    return [
        {"cause": cause, "label": label, "opened": opened.get(cause, 0), "closed": closed.get(cause, 0)}
        for cause, label in Cause.choices
        if opened.get(cause) or closed.get(cause)
    ]
