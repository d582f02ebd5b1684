"""``{% ticket_survey ticket %}``: on a ticket's page, its survey as the person may see it (the requester
answers it there; the contract's report readers see the answer)."""

from django import template

from servicepact.surveys.forms import SCORE_CHOICES
from servicepact.surveys.models import TicketSurvey

register = template.Library()


@register.inclusion_tag("surveys/ticket_survey.html", takes_context=True)
def ticket_survey(context, ticket) -> dict:
    request = context["request"]
    survey = TicketSurvey.objects.visible_to(request.user).filter(ticket=ticket).first()
    return {
        "survey": survey,
        "ticket": ticket,
        "may_answer": survey is not None and survey.requester_id == request.user.pk and survey.is_open(),
        "survey_choices": SCORE_CHOICES,
        "csrf_token": context.get("csrf_token"),
    }
