"""A small CMDB for tests: SAP ERP runs on an application server and a database, which sit on a shared
storage array; single sign-on runs on its own server."""

from servicepact.cmdb import actions
from servicepact.cmdb.models import ConfigurationItem


def build_cmdb(world) -> dict[str, ConfigurationItem]:
    admin = world.people["administrator"]
    actions.keep_business_services(world.contract, actor=admin)
    items = {item.key: item for item in ConfigurationItem.objects.filter(contract=world.contract)}

    def make(key, item_class, name, **fields):
        items[key] = actions.create_item(
            world.contract, actor=admin, key=key, item_class=item_class, name=name, **fields
        )

    make("sap-app", "application", "SAP application", attributes={"version": "S/4 2023"})
    make("sap-srv-1", "server", "sapsrv01", attributes={"os": "SLES 15", "cpu_cores": "32"}, timezone="Europe/Berlin")
    make("sap-db", "database", "SAP HANA", attributes={"engine": "hana"}, tier=1)
    make("san-1", "storage", "SAN array 1")
    make("sso-srv", "server", "ssosrv01", attributes={"os": "RHEL 9"})
    make("laptop-1", "end_user_device", "Laptop 1", attributes={"serial": "X1"})
    for source, kind, target in [
        ("sap-erp", "depends_on", "sap-app"),
        ("sap-app", "runs_on", "sap-srv-1"),
        ("sap-app", "depends_on", "sap-db"),
        ("sap-srv-1", "connects_to", "san-1"),
        ("sap-db", "runs_on", "san-1"),
        ("sso", "runs_on", "sso-srv"),
        ("sap-app", "depends_on", "sso"),
    ]:
        actions.relate(items[source], items[target], kind, actor=admin)
    return items
