from django.urls import path

from servicepact.slm import views_backtest, views_reports, views_restatements
from servicepact.slm.exports import downloads

app_name = "slm"
urlpatterns = [
    path("reports/", views_reports.report_list, name="reports"),
    path("reports/<int:report_id>/", views_reports.report_detail, name="report"),
    path(
        "reports/<int:report_id>/measures/<slug:measure_id>/", views_reports.report_drilldown, name="report_drilldown"
    ),
    path("reports/<int:report_id>/restate/", views_reports.report_restate, name="report_restate"),
    path("reports/<int:report_id>/report.json", downloads.report_json, name="report_json"),
    path("reports/<int:report_id>/contract.yaml", downloads.report_contract, name="report_contract"),
    path(
        "reports/<int:report_id>/contract-v<int:version>.yaml",
        downloads.report_contract,
        name="report_contract_version",
    ),
    path("reports/<int:report_id>/events.jsonl", downloads.report_events, name="report_events"),
    path("reports/<int:report_id>/outages.jsonl", downloads.report_outages, name="report_outages"),
    path("reports/<int:report_id>/scores.json", downloads.report_scores, name="report_scores"),
    path("reports/<int:report_id>/report.csv", downloads.report_csv_file, name="report_csv"),
    path("reports/<int:report_id>/report.xlsx", downloads.report_xlsx, name="report_xlsx"),
    path("reports/<int:report_id>/report.pdf", downloads.report_pdf_file, name="report_pdf"),
    path("contracts/<slug:slug>/trends/", views_reports.report_trends, name="report_trends"),
    path("contracts/<slug:slug>/backtest/", views_backtest.backtest, name="backtest"),
    path("backtests/<int:backtest_id>/", views_backtest.backtest_run, name="backtest_run"),
    path("backtests/<int:backtest_id>/state/", views_backtest.backtest_state, name="backtest_state"),
    path("downloads/<int:download_id>/", views_backtest.download, name="download"),
    path("downloads/<int:download_id>/file", views_backtest.download_file, name="download_file"),
    path("tickets/<str:number>/restatements/", views_restatements.ticket_restate, name="ticket_restate"),
]
