"""The demonstration's request catalogue and service requests beside the incidents: Globex's catalogue
(SAP access, a new laptop, VPN access, a shared mailbox, the MES client, an HR portal role), and requests
of the last days in every state: fulfilled and resolved, approved with tasks under way, waiting for the
manager's approval (the manager has a notice of each), and one rejected. Globex's requesters report to
the customer manager in the directory."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from servicepact.catalog import actions
from servicepact.catalog.models import CatalogItem, FieldKind, ItemField, ItemTask, TaskOrder
from servicepact.desk.actions import reply
from servicepact.notify.actions import silenced
from servicepact.notify.notices import post_notices

REQUESTERS = ("requester", "requester-asia", "requester-plant")

# key: (name, name_zh, description, description_zh, service, category, team, approval, order, fields, tasks)
# fields: (key, label, label_zh, kind, required, choices); tasks: (title, title_zh, team)
ITEMS = {
    "sap-access": (
        "Access to SAP",
        "SAP 访问权限",
        "A role in SAP S/4HANA for your work: display, finance posting, purchasing or warehouse.",
        "为您的工作申请 SAP S/4HANA 角色：显示、财务过账、采购或仓库。",
        "sap-erp",
        "access-request",
        "globex-erp",
        True,
        TaskOrder.SEQUENCE,
        [
            ("reason", "Business reason", "业务原因", FieldKind.TEXT, True, ""),
            ("role", "SAP role", "SAP 角色", FieldKind.CHOICE, True, "Display\nFinance posting\nPurchasing\nWarehouse"),
            ("start", "Needed from", "开始日期", FieldKind.DATE, False, ""),
            ("colleague", "Same access as (e-mail)", "参照同事（邮箱）", FieldKind.PERSON, False, ""),
            ("temporary", "Temporary access", "临时权限", FieldKind.YES_NO, False, ""),
        ],
        [
            ("Check segregation of duties", "检查职责分离", "globex-erp"),
            ("Create the SAP user and assign the role", "创建 SAP 用户并分配角色", "app-support-in"),
            ("Tell the requester how to log on", "告知申请人登录方式", "northwind-desk"),
        ],
    ),
    "new-laptop": (
        "New laptop",
        "新笔记本电脑",
        "A standard laptop, enrolled in the directory, delivered to your desk.",
        "标准笔记本电脑，已加入目录，送到您的办公桌。",
        "sso",
        "hardware-onsite",
        "kestrel-onsite",
        True,
        TaskOrder.PARALLEL,
        [
            ("model", "Model", "型号", FieldKind.CHOICE, True, "Standard 14-inch\nEngineering 16-inch"),
            ("site", "Delivery site", "交付地点", FieldKind.CHOICE, True, "Frankfurt\nSuzhou\nPilsen"),
            ("replaces", "Replaces a broken laptop", "替换损坏的电脑", FieldKind.YES_NO, True, ""),
        ],
        [
            ("Order and image the laptop", "订购并安装系统镜像", "kestrel-onsite"),
            ("Enrol the laptop in the directory", "将电脑加入目录", "globex-security"),
        ],
    ),
    "vpn-access": (
        "VPN access",
        "VPN 访问",
        "Work from home or on the road over the company VPN.",
        "通过公司 VPN 在家或出差时工作。",
        "sso",
        "access-request",
        "globex-security",
        False,
        TaskOrder.PARALLEL,
        [("device", "Device", "设备", FieldKind.CHOICE, True, "Company laptop\nCompany phone")],
        [
            ("Create the VPN profile", "创建 VPN 配置", "globex-security"),
            ("Send the hardware token", "寄送硬件令牌", "northwind-desk"),
        ],
    ),
    "shared-mailbox": (
        "Access to a shared mailbox",
        "共享邮箱访问",
        "Read or send from a team's shared mailbox.",
        "读取团队共享邮箱或以其名义发送邮件。",
        "sso",
        "access-request",
        "globex-security",
        True,
        TaskOrder.SEQUENCE,
        [
            ("mailbox", "Mailbox address", "邮箱地址", FieldKind.TEXT, True, ""),
            ("access", "Access", "权限", FieldKind.CHOICE, True, "Read\nSend as"),
        ],
        [("Grant the mailbox permission", "授予邮箱权限", "globex-security")],
    ),
    "mes-client": (
        "Install the MES client",
        "安装 MES 客户端",
        "The manufacturing execution client on a plant computer, connected to your line.",
        "在工厂电脑上安装制造执行系统客户端并连接到您的产线。",
        "mes-asia",
        "",
        "app-support-cn",
        False,
        TaskOrder.SEQUENCE,
        [
            ("computer", "Computer name", "计算机名", FieldKind.TEXT, True, ""),
            ("line", "Production line", "产线", FieldKind.CHOICE, True, "Line 1\nLine 2\nLine 3"),
            ("when", "Install on", "安装日期", FieldKind.DATE, False, ""),
        ],
        [
            ("Install and configure the client", "安装并配置客户端", "app-support-cn"),
            ("Test the connection with the requester", "与申请人测试连接", "app-support-cn"),
        ],
    ),
    "hr-portal-role": (
        "HR portal role",
        "HR 门户角色",
        "A role in the HR portal: employee self-service, line manager or HR administrator.",
        "HR 门户中的角色：员工自助、直线经理或 HR 管理员。",
        "hr-portal",
        "access-request",
        "app-support-cn",
        True,
        TaskOrder.SEQUENCE,
        [
            ("role", "Role", "角色", FieldKind.CHOICE, True, "Self-service\nLine manager\nHR administrator"),
            ("reason", "Business reason", "业务原因", FieldKind.TEXT, True, ""),
        ],
        [("Assign the role", "分配角色", "app-support-cn")],
    ),
}

# (item, requester, days before the end, answers, what happened: fulfilled / approved / pending / rejected / open)
REQUESTS = [
    ("vpn-access", "requester-asia", 9, {"device": "Company laptop"}, "fulfilled"),
    ("mes-client", "requester-asia", 8, {"computer": "SZ-PLC-0142", "line": "Line 2"}, "fulfilled"),
    (
        "sap-access",
        "requester",
        6,
        {"reason": "Month-end close in finance", "role": "Finance posting", "temporary": "no"},
        "approved",
    ),
    ("shared-mailbox", "requester", 5, {"mailbox": "purchasing@globex.example", "access": "Send as"}, "rejected"),
    ("vpn-access", "requester-plant", 3, {"device": "Company phone"}, "open"),
    ("new-laptop", "requester-plant", 2, {"model": "Standard 14-inch", "site": "Pilsen", "replaces": "yes"}, "pending"),
    ("hr-portal-role", "requester", 1, {"role": "Line manager", "reason": "New team of four from January"}, "pending"),
    (
        "sap-access",
        "requester-asia",
        1,
        {"reason": "Stock counts in the Suzhou warehouse", "role": "Warehouse", "temporary": "yes"},
        "pending",
    ),
]


@dataclass
class RequestsResult:
    items: int = 0
    requests: int = 0
    pending: int = 0

    @property
    def summary(self) -> str:
        return (
            f"demo: a request catalogue of {self.items} items and {self.requests} service requests "
            f"({self.pending} waiting for the manager's approval)."
        )


ACKNOWLEDGEMENT = (
    "Thank you, we have your request. We start as soon as it is approved where it needs approval, and write "
    "here when it is done."
)


def make_requests(scenario, end: datetime) -> RequestsResult:
    people, teams, contract = scenario.people, scenario.teams, scenario.contract
    manager = people["customer-manager"]
    for key in REQUESTERS:
        people[key].manager = manager
        people[key].save(update_fields=["manager"])
    items = {}
    for position, (key, spec) in enumerate(ITEMS.items()):
        name, name_zh, text, text_zh, service, category, team, approval, order, fields, tasks = spec
        items[key] = item = CatalogItem.objects.create(
            contract=contract,
            key=key,
            name=name,
            name_zh=name_zh,
            description=text,
            description_zh=text_zh,
            service=scenario.services[service],
            category=category,
            team=teams[team],
            priority="P4",
            needs_approval=approval,
            task_order=order,
            position=position,
        )
        ItemField.objects.bulk_create(
            ItemField(item=item, position=index, key=f, label=label, label_zh=zh, kind=kind, required=req, choices=ch)
            for index, (f, label, zh, kind, req, ch) in enumerate(fields)
        )
        ItemTask.objects.bulk_create(
            ItemTask(item=item, position=index, title=title, title_zh=zh, team=teams[team_key])
            for index, (title, zh, team_key) in enumerate(tasks, start=1)
        )
    result = RequestsResult(items=len(items))
    agent = people["agent"]
    for key, requester, days, answers, fate in REQUESTS:
        at = end - timedelta(days=days, hours=3)
        with silenced():
            request = actions.submit_request(items[key], actor=people[requester], answers=answers, at=at)
            result.requests += 1
            # The desk acknowledges every request at once, as it answers incidents: that is its response.
            reply(request.ticket, actor=agent, body=ACKNOWLEDGEMENT, at=at + timedelta(minutes=20))
            if fate == "pending":
                result.pending += 1
            elif fate == "rejected":
                reason = "Purchasing mail is sent by the buyers only; ask Marta for a copy of the orders."
                actions.decide(request, actor=manager, approve=False, reason=reason, at=at + timedelta(hours=2))
            elif request.approval == "pending":
                actions.decide(request, actor=manager, approve=True, at=at + timedelta(hours=2))
            if fate in ("fulfilled", "approved"):
                tasks = list(request.tasks.order_by("position"))
                done = tasks if fate == "fulfilled" else tasks[:-1]
                for step, task in enumerate(done, start=1):
                    actions.complete_task(task, actor=agent, at=at + timedelta(hours=4 + 6 * step))
                if fate == "fulfilled":
                    actions.resolve_request(
                        request,
                        actor=agent,
                        resolution="Done: everything you asked for is set up. Reply here if anything is missing.",
                        at=at + timedelta(hours=5 + 6 * len(done)),
                    )
        if fate == "pending":
            text = f"{request.ticket.number} {request.ticket.title}: waiting for your approval"
            post_notices([manager], text=text, ticket=request.ticket, actor=people[requester], at=at)
    return result
