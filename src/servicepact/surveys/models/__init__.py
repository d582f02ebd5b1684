from servicepact.surveys.models.relationship import RelationshipAnswer, RelationshipRound
from servicepact.surveys.models.ticket_survey import SCORES, AnsweredVia, TicketSurvey

__all__ = ["SCORES", "AnsweredVia", "RelationshipAnswer", "RelationshipRound", "TicketSurvey"]
