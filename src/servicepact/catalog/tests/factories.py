"""A small catalogue of Globex's contract in the ``world`` fixture: SAP access (a form of every kind of
field, the requester's manager approves, two tasks in order) and VPN access (no approval, tasks in
parallel). The requester's manager in the directory is Globex's customer manager."""

from dataclasses import dataclass

from servicepact.catalog.models import CatalogItem, FieldKind, ItemField, ItemTask, TaskOrder


@dataclass
class Catalog:
    sap: CatalogItem
    vpn: CatalogItem


def build_catalog(world) -> Catalog:
    requester = world.people["requester"]
    requester.manager = world.people["customer-manager"]
    requester.save(update_fields=["manager"])
    sap = CatalogItem.objects.create(
        contract=world.contract,
        key="sap-access",
        name="Access to SAP",
        name_zh="SAP 访问权限",
        description="A role in SAP ERP for your work.",
        description_zh="为您的工作申请 SAP ERP 角色。",
        service=world.services["sap-erp"],
        team=world.teams["app-cn"],
        priority="P4",
        needs_approval=True,
        task_order=TaskOrder.SEQUENCE,
    )
    fields = [
        ("reason", "Business reason", "业务原因", FieldKind.TEXT, True, ""),
        ("role", "SAP role", "SAP 角色", FieldKind.CHOICE, True, "Display\nFinance posting\nPurchasing"),
        ("start", "Needed from", "开始日期", FieldKind.DATE, False, ""),
        ("colleague", "Same access as", "参照同事", FieldKind.PERSON, False, ""),
        ("temporary", "Temporary access", "临时权限", FieldKind.YES_NO, False, ""),
    ]
    for position, (key, label, label_zh, kind, required, choices) in enumerate(fields):
        ItemField.objects.create(
            item=sap,
            position=position,
            key=key,
            label=label,
            label_zh=label_zh,
            kind=kind,
            required=required,
            choices=choices,
        )
    ItemTask.objects.create(item=sap, position=1, title="Create the SAP user", team=world.teams["app-cn"])
    ItemTask.objects.create(item=sap, position=2, title="Assign the role", team=world.teams["app-cn"])
    vpn = CatalogItem.objects.create(
        contract=world.contract,
        key="vpn-access",
        name="VPN access",
        name_zh="VPN 访问",
        description="Work from home over the company VPN.",
        service=world.services["sso"],
        team=world.teams["app-cn"],
        priority="P4",
        task_order=TaskOrder.PARALLEL,
    )
    ItemField.objects.create(item=vpn, key="device", label="Device", kind=FieldKind.TEXT, required=True)
    ItemTask.objects.create(item=vpn, position=1, title="Create the VPN profile", team=world.teams["app-cn"])
    ItemTask.objects.create(item=vpn, position=2, title="Send the token", team=world.teams["desk"])
    return Catalog(sap, vpn)
