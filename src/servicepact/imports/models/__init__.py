from servicepact.imports.models.run import ImportRun, RunStatus
from servicepact.imports.models.imported import ImportedTicket

__all__ = ["ImportRun", "ImportedTicket", "RunStatus"]
