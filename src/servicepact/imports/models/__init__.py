from servicepact.imports.models.imported import ImportedTicket
from servicepact.imports.models.run import ImportRun, RunStatus

__all__ = ["ImportRun", "ImportedTicket", "RunStatus"]
