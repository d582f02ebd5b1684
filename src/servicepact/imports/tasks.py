"""Background work of imports: writing the tickets of a run started on the upload page."""

from pathlib import Path

from django_tasks import task

from servicepact.imports.execution import execute
from servicepact.imports.mapping import load_mapping
from servicepact.imports.models import ImportRun, RunStatus


@task()
def run_import(run_id: int) -> dict[str, int]:
    """Import the run's file (checked when the run was started); safe to run twice: a finished run is
    left alone, and the tickets already imported are skipped."""
    run = ImportRun.objects.select_related("contract", "started_by").get(pk=run_id)
    if run.status == RunStatus.DONE:
        return {"imported": 0, "skipped": run.skipped}
    mapping = load_mapping(run.mapping_text, f"{run.mapping_name}.yaml")
    execute(run, Path(run.upload.path), mapping)
    return {"imported": run.imported, "skipped": run.skipped}
