"""The REST API (OpenAPI 3 at /api/openapi.json, docs at /api/docs), assembled from each app's router."""

from django.http import HttpRequest
from ninja import NinjaAPI

from servicepact.accounts.api import router as accounts_router
from servicepact.accounts.api_directory import router as directory_router
from servicepact.accounts.auth import ApiTokenAuth, SessionAuth
from servicepact.accounts.throttling import ApiTokenThrottle
from servicepact.api_docs import DOCS, behind_sign_in
from servicepact.availability.api import router as availability_router
from servicepact.billing.api import router as billing_router
from servicepact.capacity.api import router as capacity_router
from servicepact.catalog.api import router as catalog_router
from servicepact.changes.api import router as changes_router
from servicepact.cmdb.api import router as cmdb_router
from servicepact.continuity.api import router as continuity_router
from servicepact.contracts.api import router as contracts_router
from servicepact.desk.api import router as desk_router
from servicepact.desk.api.links import router as desk_links_router
from servicepact.imports.api import router as imports_router
from servicepact.mailin.api import router as mailin_router
from servicepact.major_incidents.api import router as major_incidents_router
from servicepact.notify.api import router as notify_router
from servicepact.oncall.api import router as oncall_router
from servicepact.permissions.declared import allow, anyone_signed_in
from servicepact.problem_details import install_problem_handlers
from servicepact.problems.api import router as problems_router
from servicepact.rosters.api import router as rosters_router
from servicepact.slm.api import router as slm_router
from servicepact.surveys.api import router as surveys_router
from servicepact.webhooks.api import router as webhooks_router

# A session or a personal token; the docs pages ask the same (api_docs.py).
AUTHENTICATION = [ApiTokenAuth(), SessionAuth()]

api = NinjaAPI(
    title="servicepact",
    version="1",
    description="IT service management for IT outsourcing, where the service contract is code.",
    auth=AUTHENTICATION,
    docs=DOCS,
    docs_decorator=behind_sign_in(AUTHENTICATION),
    throttle=[ApiTokenThrottle()],
    urls_namespace="api",
)
install_problem_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", directory_router)
api.add_router("/", mailin_router)
api.add_router("/", contracts_router)
api.add_router("/", desk_router)
api.add_router("/", desk_links_router)
api.add_router("/", slm_router)
api.add_router("/", imports_router)
api.add_router("/", rosters_router)
api.add_router("/", oncall_router)
api.add_router("/", webhooks_router)
api.add_router("/", cmdb_router)
api.add_router("/", changes_router)
api.add_router("/", surveys_router)
api.add_router("/", notify_router)
api.add_router("/", availability_router)
api.add_router("/", continuity_router)
api.add_router("/", problems_router)
api.add_router("/", major_incidents_router)
api.add_router("/", capacity_router)
api.add_router("/", billing_router)
api.add_router("/", catalog_router)


@api.get("/whoami", tags=["accounts"], summary="The authenticated person", operation_id="whoami")
@allow(anyone_signed_in, "Anyone signed in.")
def whoami(request: HttpRequest) -> dict:
    user = request.auth
    return {"id": user.pk, "email": user.email, "full_name": user.full_name}
