"""Reads of major incidents: those of a report's period."""

from datetime import datetime

from django.db.models import Q, QuerySet

from servicepact.major_incidents.models import MajorIncident


def in_period(majors: QuerySet[MajorIncident], start: datetime, end: datetime) -> QuerySet[MajorIncident]:
    """The major incidents whose outage overlaps [start, end)."""
    return majors.filter(started_at__lt=end).filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=start))
