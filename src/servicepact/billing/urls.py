from django.urls import path

from servicepact.billing import views

app_name = "billing"
urlpatterns = [
    path("", views.index, name="index"),
    path("time/", views.time, name="time"),
    path("time/<int:entry_id>/delete/", views.time_delete, name="time_delete"),
    path("contracts/<slug:slug>/approvals/", views.approvals, name="approvals"),
    path("contracts/<slug:slug>/invoices/", views.invoices, name="invoices"),
    path("contracts/<slug:slug>/invoices/<str:month>/", views.invoice, name="invoice"),
    path("contracts/<slug:slug>/invoices/<str:month>/invoice.pdf", views.invoice_pdf_file, name="invoice_pdf"),
    path("contracts/<slug:slug>/invoices/<str:month>/invoice.xlsx", views.invoice_xlsx_file, name="invoice_xlsx"),
]
