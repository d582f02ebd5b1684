"""Readers of the source tools' exports, each giving ``SourceTicket``s (see ``records``)."""

from collections.abc import Iterator
from pathlib import Path

from servicepact.imports.mapping import Mapping
from servicepact.imports.sources.audit import AuditReader
from servicepact.imports.sources.jira import JiraReader
from servicepact.imports.sources.records import BadRow, SourceProblems, SourceTicket
from servicepact.imports.sources.rows import RowReader, SourceError

__all__ = ["BadRow", "SourceError", "SourceProblems", "SourceTicket", "read_tickets"]


def read_tickets(path: Path, mapping: Mapping, problems: SourceProblems) -> Iterator[SourceTicket]:
    """The source tickets of the file at ``path`` as ``mapping`` reads it; bad rows go to ``problems``.
    Raises SourceError when the file cannot be read at all."""
    source = mapping.doc.source
    layout = source.layout_name
    if source.tool == "jira":
        return JiraReader(path, mapping, problems).tickets()
    if layout in ("sys_audit", "metric"):
        return AuditReader(path, mapping, problems).tickets()
    return RowReader(path, mapping, problems).tickets()
