"""File names of a report's downloads and attachments: contract, scope, period, and the row of a restatement."""

from servicepact.slm.models import StoredReport


def file_name(report: StoredReport, suffix: str) -> str:
    scope = f"-{report.scope_key}" if report.scope_key else ""
    restated = f"-r{report.pk}" if report.restates_id else ""
    return f"{report.contract.slug}{scope}-{report.period_label}{restated}{suffix}"
