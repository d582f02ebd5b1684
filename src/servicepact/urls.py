from django.contrib import admin
from django.urls import include, path

from servicepact.api import api

urlpatterns = [
    path("", include("servicepact.desk.urls")),
    path("accounts/", include("servicepact.accounts.urls")),
    path("accounts/passkeys/", include("servicepact.accounts.urls_passkeys")),
    path("organization/", include("servicepact.accounts.urls_organization")),
    path("slm/", include("servicepact.slm.urls")),
    path("contracts/", include("servicepact.contracts.urls")),
    path("imports/", include("servicepact.imports.urls")),
    path("rosters/", include("servicepact.rosters.urls")),
    path("oncall/", include("servicepact.oncall.urls")),
    path("webhooks/", include("servicepact.webhooks.urls")),
    path("cmdb/", include("servicepact.cmdb.urls")),
    path("changes/", include("servicepact.changes.urls")),
    path("availability/", include("servicepact.availability.urls")),
    path("continuity/", include("servicepact.continuity.urls")),
    path("problems/", include("servicepact.problems.urls")),
    path("major-incidents/", include("servicepact.major_incidents.urls")),
    path("capacity/", include("servicepact.capacity.urls")),
    path("dashboards/", include("servicepact.dashboards.urls")),
    path("billing/", include("servicepact.billing.urls")),
    path("checkpoints/", include("servicepact.evidence.urls")),
    path("", include("servicepact.surveys.urls")),
    path("knowledge/", include("servicepact.knowledge.urls")),
    path("catalog/", include("servicepact.catalog.urls")),
    path("mail/", include("servicepact.mailin.urls")),
    path("notices/", include("servicepact.notify.urls")),
    path("", include("servicepact.runtime.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
