from servicepact.major_incidents.models.major_incident import (
    CommunicationUpdate,
    MajorHistory,
    MajorIncident,
    MajorStatus,
    PostIncidentReview,
)

__all__ = ["CommunicationUpdate", "MajorHistory", "MajorIncident", "MajorStatus", "PostIncidentReview"]
