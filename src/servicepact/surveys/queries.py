"""Reading the surveys: the scores a report passes to the kernel, and the results pages' figures."""

from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from servicepact.contracts.actions import kernel_contract, version_in_force
from servicepact.contracts.models import Contract
from servicepact.refusals import ActionRefused
from servicepact.surveys.models import RelationshipAnswer, RelationshipRound, TicketSurvey


def survey_by_token(token: str) -> TicketSurvey | None:
    """The survey a mail's link names: its token stands for the requester, who need not sign in."""
    if not token or len(token) > 64:
        return None
    return TicketSurvey.objects.select_related("ticket").filter(token=token).first()


def contract_scores(contract: Contract, *, until: datetime | None = None) -> dict[str, Fraction]:
    """The answered scores of the contract's tickets, by ticket number (the kernel's ``scores``); with
    ``until``, those answered before it."""
    answered = TicketSurvey.objects.filter(contract=contract, answered_at__isnull=False)
    if until is not None:
        answered = answered.filter(answered_at__lt=until)
    return {number: Fraction(score) for number, score in answered.values_list("ticket__number", "score")}


@dataclass
class MonthResult:
    month: date
    invited: int = 0
    answered: int = 0
    total: int = 0
    by_score: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))

    @property
    def mean(self) -> float | None:
        return self.total / self.answered if self.answered else None

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None


def monthly_results(surveys: QuerySet[TicketSurvey], zone: str, months: int = 12) -> list[MonthResult]:
    """The last ``months`` months with an invitation, newest first: invitations, answers, mean and spread,
    each survey counted in the month (in ``zone``) it was invited."""
    results: dict[date, MonthResult] = {}
    tz = ZoneInfo(zone)
    for invited_at, score in surveys.values_list("invited_at", "score").iterator(chunk_size=5000):
        local = invited_at.astimezone(tz)
        month = date(local.year, local.month, 1)
        result = results.setdefault(month, MonthResult(month))
        result.invited += 1
        if score is not None:
            result.answered += 1
            result.total += score
            result.by_score[score] += 1
    return [results[month] for month in sorted(results, reverse=True)[:months]]


def recent_comments(surveys: QuerySet[TicketSurvey], limit: int = 30) -> QuerySet[TicketSurvey]:
    return surveys.answered().exclude(comment="").select_related("ticket").order_by("-answered_at")[:limit]


@dataclass
class RoundResult:
    round: RelationshipRound
    answers: int
    mean: float | None


def round_results(rounds: QuerySet[RelationshipRound], answers: QuerySet[RelationshipAnswer]) -> list[RoundResult]:
    figures = {
        row["round"]: row
        for row in answers.filter(round__in=rounds).values("round").annotate(count=Count("pk"), mean=Avg("score"))
    }
    return [
        RoundResult(
            survey_round, figures.get(survey_round.pk, {}).get("count", 0), figures.get(survey_round.pk, {}).get("mean")
        )
        for survey_round in rounds
    ]


def reporting_zone(contract: Contract) -> str:
    """The contract's reporting time zone (the version in force now), which cuts the results' months."""
    try:
        return kernel_contract(version_in_force(contract, timezone.now())).reporting_timezone
    except ActionRefused:
        return "UTC"
