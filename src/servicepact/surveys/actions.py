"""Every write of the surveys: inviting after a resolution, answering, opening and answering a relationship
survey. Each runs in one transaction and refuses bad input with the field it concerns."""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import Role, User
from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket
from servicepact.notify.actions import enqueue_notification
from servicepact.notify.recipients import absolute_url, recipients_of
from servicepact.permissions.surveys import can_answer_round, can_answer_ticket_survey, can_open_round
from servicepact.refusals import ActionRefused
from servicepact.surveys.models import SCORES, AnsweredVia, RelationshipAnswer, RelationshipRound, TicketSurvey

# How long a ticket's survey stays open after the invitation.
SURVEY_DAYS = 14
COMMENT_MAX = 2000
TITLE_MAX = RelationshipRound._meta.get_field("title").max_length


def invite(ticket: Ticket, *, at: datetime) -> TicketSurvey | None:
    """The requester's survey of a ticket just resolved, mailed with its link; None when it has one already.

    Runs inside the resolving action's transaction: no survey and no mail for a resolution rolled back."""
    if TicketSurvey.objects.filter(ticket=ticket).exists():
        return None
    requester = ticket.requester
    survey = TicketSurvey.objects.create(
        ticket=ticket,
        contract_id=ticket.contract_id,
        requester=requester,
        token=secrets.token_urlsafe(32),
        invited_at=at,
        expires_at=at + timedelta(days=SURVEY_DAYS),
    )
    for recipient in recipients_of([requester]):
        with recipient.speaking():
            subject = _("[%(number)s] How did we do?") % {"number": ticket.number}
            body = _(
                "Your ticket %(number)s, %(title)s, is resolved. How satisfied are you with how it was handled? "
                "One click gives your score, from 1 (very dissatisfied) to 5 (very satisfied), and a comment "
                "if you like:\n\n%(link)s\n\nThe survey stays open for %(days)s days."
            ) % {
                "number": ticket.number,
                "title": ticket.title,
                "link": absolute_url("surveys:answer", survey.token),
                "days": SURVEY_DAYS,
            }
        # One survey per ticket, to its requester alone: the ticket names the message.
        enqueue_notification(
            recipients=[recipient.address], subject=subject, body=body, ticket=ticket, key=f"survey:{ticket.pk}", at=at
        )
    return survey


def _score(value) -> int:
    try:
        score = int(str(value).strip())
    except (TypeError, ValueError):
        score = None
    if score not in SCORES:
        message = _("Choose a score from 1 to 5.")
        raise ActionRefused(message, errors={"score": [message]})
    return score


def _comment(text: str | None) -> str:
    comment = (text or "").strip()
    if "\x00" in comment or len(comment) > COMMENT_MAX:
        message = _("A comment has at most %(count)s characters.") % {"count": COMMENT_MAX}
        raise ActionRefused(message, errors={"comment": [message]})
    return comment


def answer_ticket_survey(
    survey: TicketSurvey, *, actor: User | None, score, comment: str = "", via: str, at: datetime | None = None
) -> TicketSurvey:
    """Record the requester's answer. ``actor`` None: by the mail's link, whose token stands for them."""
    at = at or timezone.now()
    if via not in AnsweredVia.values:
        raise ValueError(f"via: {via!r} is not one of {AnsweredVia.values}")
    if actor is not None and not can_answer_ticket_survey(actor, survey):
        raise PermissionDenied(_("Only the ticket's requester answers its survey."))
    value, text = _score(score), _comment(comment)
    with transaction.atomic():
        locked = TicketSurvey.objects.select_for_update().get(pk=survey.pk)
        if locked.is_answered:
            message = _("This survey has been answered already. Thank you!")
            raise ActionRefused(message, errors={"score": [message]}, status=409)
        if at >= locked.expires_at:
            message = _("This survey closed on %(day)s.") % {"day": timezone.localtime(locked.expires_at).date()}
            raise ActionRefused(message, errors={"score": [message]}, status=409)
        locked.score, locked.comment, locked.answered_at, locked.answered_via = value, text, at, via
        locked.save(update_fields=["score", "comment", "answered_at", "answered_via"])
    return locked


def open_round(
    contract: Contract, *, actor: User, title: str, closes_at: datetime, at: datetime | None = None
) -> RelationshipRound:
    """Open a relationship survey of ``contract`` and ask its customer's managers, each by mail."""
    at = at or timezone.now()
    if not can_open_round(actor, contract):
        raise PermissionDenied(_("You may not open a relationship survey of this contract."))
    title = " ".join((title or "").split())
    errors = {}
    if not title or len(title) > TITLE_MAX:
        errors["title"] = [_("Give the survey a title of at most %(count)s characters.") % {"count": TITLE_MAX}]
    if closes_at <= at:
        errors["closes_at"] = [_("The survey must close in the future.")]
    if errors:
        raise ActionRefused(_("The relationship survey was not opened."), errors=errors)
    try:
        with transaction.atomic():
            survey_round = RelationshipRound.objects.create(
                contract=contract, title=title, opened_at=at, closes_at=closes_at, opened_by=actor
            )
            for manager in customer_managers(contract):
                _ask(survey_round, manager, at)
    except IntegrityError:
        message = _("This contract has a relationship survey of that title already.")
        raise ActionRefused(message, errors={"title": [message]}, status=409) from None
    return survey_round


def customer_managers(contract: Contract) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            organization_id=contract.customer_id,
            memberships__organization_id=contract.customer_id,
            memberships__role=Role.CUSTOMER_MANAGER,
        )
        .distinct()
        .order_by("pk")
    )


def _ask(survey_round: RelationshipRound, manager: User, at: datetime) -> None:
    """One message to ``manager``, in their language, the closing time in their zone."""
    for recipient in recipients_of([manager]):
        with recipient.speaking():
            contract = survey_round.contract.title
            subject = _("%(contract)s: %(title)s") % {"contract": contract, "title": survey_round.title}
            body = _(
                "How does the service under %(contract)s go, as a whole? Your score from 1 to 5 and a few words "
                "help both parties see what to keep and what to change:\n\n%(link)s"
            ) % {"contract": contract, "link": absolute_url("surveys:round", survey_round.pk)}
            closes = _("The survey closes at %(at)s.") % {"at": recipient.moment(survey_round.closes_at)}
        enqueue_notification(
            recipients=[recipient.address],
            subject=subject,
            body=f"{body}\n\n{closes}\n",
            key=f"round:{survey_round.pk}:{manager.pk}",
            at=at,
        )


def answer_round(
    survey_round: RelationshipRound, *, actor: User, score, comment: str = "", at: datetime | None = None
) -> RelationshipAnswer:
    at = at or timezone.now()
    if not can_answer_round(actor, survey_round):
        raise PermissionDenied(_("Only the customer's managers of the contract answer its relationship survey."))
    value, text = _score(score), _comment(comment)
    if not survey_round.is_open(at):
        message = _("This survey closed on %(day)s.") % {"day": timezone.localtime(survey_round.closes_at).date()}
        raise ActionRefused(message, errors={"score": [message]}, status=409)
    try:
        with transaction.atomic():
            return RelationshipAnswer.objects.create(
                round=survey_round, person=actor, score=value, comment=text, answered_at=at
            )
    except IntegrityError:
        message = _("You have answered this survey already. Thank you!")
        raise ActionRefused(message, errors={"score": [message]}, status=409) from None
