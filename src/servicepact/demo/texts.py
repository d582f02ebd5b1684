"""The words of the demonstration tickets: titles by service and category, descriptions, the usual replies."""

import random
from datetime import UTC, datetime, timedelta

TITLES: dict[tuple[str, str], list[str]] = {
    ("sap-erp", "how-to"): [
        "How do I post a goods receipt for a partial delivery?",
        "Where do I find the open purchase orders report?",
        "How to reverse an invoice in MIRO",
    ],
    ("sap-erp", "application-error"): [
        "Short dump when releasing a purchase order",
        "MIGO hangs on save",
        "Invoice verification fails with error M8 082",
        "Batch job for MRP failed overnight",
    ],
    ("sap-erp", "data-correction"): [
        "Wrong unit of measure on material 4711-22",
        "Duplicate vendor record needs merging",
    ],
    ("sap-erp", "erp-master-data"): ["New cost centre for the Lyon office", "Change payment terms for vendor 100234"],
    ("sap-erp", "change-execution"): ["Import transport DEVK912345 to production", "Deploy pricing fix to production"],
    ("sap-erp", "hardware-onsite"): [
        "Label printer in warehouse 3 prints blank labels",
        "Scanner gun at goods receipt does not charge",
    ],
    ("sap-erp", "local-it"): ["My laptop docking station is not working", "Outlook keeps asking for my password"],
    ("sso", "password-reset"): ["Locked out after password change", "Password expired while travelling"],
    ("sso", "access-request"): ["Access to the finance reporting portal", "Add me to the purchasing approvers group"],
    ("sso", "application-error"): ["Single sign-on loops back to the login page", "MFA prompt never arrives"],
    ("sso", "how-to"): ["How do I register a new phone for MFA?"],
    ("mes-asia", "application-error"): [
        "Line 4 MES terminal shows stale work orders",
        "Batch record cannot be closed",
        "MES interface to SAP stuck since 10:00",
    ],
    ("mes-asia", "hardware-onsite"): ["Barcode scanner at line 2 not reading", "Shop-floor terminal screen flickers"],
    ("mes-asia", "data-correction"): ["Wrong quantity booked on work order 88213"],
    ("mes-asia", "how-to"): ["How to print the shift report for quality?"],
    ("mes-asia", "change-execution"): ["Deploy new recipe version to the Suzhou plant"],
    ("hr-portal", "how-to"): ["How do I request parental leave in the portal?", "Where is my payslip for last month?"],
    ("hr-portal", "access-request"): ["Manager view for the new team lead"],
    ("hr-portal", "application-error"): ["Leave request stuck in approval", "Portal shows an empty page after login"],
    ("hr-portal", "password-reset"): ["Cannot log in to the HR portal from home"],
}

# Which categories each service's tickets come in, and how often (weights).
CATEGORY_MIX: dict[str, list[tuple[str, int]]] = {
    "sap-erp": [
        ("how-to", 22),
        ("application-error", 30),
        ("data-correction", 10),
        ("erp-master-data", 10),
        ("change-execution", 8),
        ("hardware-onsite", 8),
        ("local-it", 4),
    ],
    "sso": [("password-reset", 45), ("access-request", 25), ("application-error", 20), ("how-to", 10)],
    "mes-asia": [
        ("application-error", 45),
        ("hardware-onsite", 20),
        ("data-correction", 15),
        ("how-to", 12),
        ("change-execution", 8),
    ],
    "hr-portal": [("how-to", 45), ("access-request", 15), ("application-error", 25), ("password-reset", 15)],
}

ACKNOWLEDGE = "Thank you, we are looking into it."
FORWARDED = "Thank you. We have passed this to the team responsible and will keep you informed."
ASK_DETAILS = "Could you send us a screenshot of the message and the time it happened?"
DETAILS_GIVEN = "Here are the details you asked for; it happened again this morning."
WAITING_VENDOR = "Waiting on the software vendor's support (message opened)."
VENDOR_ANSWERED = "The vendor's support answered; continuing."
WAITING_PROBLEM = "Same cause as the open problem on the leave form; waiting for its fix."
NOTE = "Checked the logs; looks like the same cause as last week."
FIRST_CONTACT_RESOLUTION = "Solved on the phone: the steps are in the knowledge article we sent you."
RESOLUTION = "Fixed and tested with the user; please let us know if it comes back."
VENDOR_HANDOFF = "Hardware fault on site: passed to the hardware vendor."
VENDOR_RESOLUTION = "Replaced the faulty device on site; tested with the operator."
LOCAL_IT_DONE = "Local IT sorted it out, thank you."
LOCAL_IT_RESOLUTION = "Handled by Globex local IT, as confirmed by the requester."
REOPEN = "The problem is back since this morning."
PRIORITY_UP = "More users affected than first reported."

# What requesters write below the title: how it started, what they see on their service, what it stops them
# doing. Each ticket's description is drawn from these by its own arrival, so no two read alike by rule.
OPENINGS: dict[str, list[str]] = {
    "application-error": [
        "This started around {hour} today.",
        "Since this morning the same error comes back every time I try.",
        "It worked yesterday afternoon; today it fails.",
        "I tried again after logging off and on, same result.",
        "It happens on every attempt since {hour}.",
    ],
    "how-to": [
        "I am new in this role and could not find it in the handbook.",
        "My colleague who used to do this is on leave.",
        "I searched the knowledge base but the article is for the old screen.",
        "We need this for the month-end close.",
    ],
    "password-reset": [
        "I changed my password on {day} and since then nothing accepts it.",
        "The self-service reset sends no code to my phone.",
        "I am travelling and cannot reach the office network.",
        "After three tries the account says it is locked.",
    ],
    "access-request": [
        "My manager has approved this by e-mail.",
        "I moved to a new team on {day} and need the same access as my colleagues.",
        "I need this for a project that starts next week.",
        "The access I had before my move was removed.",
    ],
    "data-correction": [
        "The wrong value was entered by mistake on {day}.",
        "A colleague noticed the difference during the stock count.",
        "The report shows a figure that does not match the paper records.",
        "This came up in the monthly reconciliation.",
    ],
    "erp-master-data": [
        "Finance asked for this before the next posting run.",
        "The change is approved by the controller.",
        "Please make the change effective from the first of next month.",
    ],
    "change-execution": [
        "The change is approved in the last change board.",
        "Testing in the quality system passed on {day}.",
        "Please schedule it outside the plant's production hours.",
    ],
    "hardware-onsite": [
        "It stopped working at the start of the shift.",
        "We replaced the cable, it did not help.",
        "It works for a few minutes after a restart, then fails again.",
        "The device shows a red light.",
    ],
    "local-it": [
        "It happens when I connect at my desk, not at home.",
        "Since the update last night this does not work any more.",
        "I restarted twice already.",
    ],
}
DETAILS: dict[str, list[str]] = {
    "sap-erp": [
        "I am in the Lyon plant, client 100.",
        "It happens in the purchasing transactions, others seem fine.",
        "Colleagues in accounts payable see the same.",
        "The message number shows in the status bar at the bottom.",
        "Only documents of company code 2000 are affected.",
        "I use the SAP GUI on the warehouse terminal.",
    ],
    "sso": [
        "I use the company laptop and the Authenticator app.",
        "On the phone it works, on the laptop it does not.",
        "The login page loops back after I enter the code.",
        "My user name is the usual first.last.",
    ],
    "mes-asia": [
        "This is at the Suzhou plant, line 4.",
        "The night shift had the same issue.",
        "Work orders of the second shift are affected.",
        "The terminal next to it works normally.",
        "The quality team is waiting for the batch record.",
    ],
    "hr-portal": [
        "I tried in Edge and in Chrome.",
        "It happens from home and from the office.",
        "My team lead sees the same on her account.",
        "The page stays empty after the login.",
    ],
}
CLOSINGS = [
    "I cannot finish my work until this is fixed.",
    "Two colleagues have the same problem.",
    "Not urgent, but it slows us down.",
    "Please call me if you need more details.",
    "We need it before the end of the week.",
    "Thanks for your help.",
    "",
]


def description(title: str, service: str, category: str, at: int) -> str:
    """A requester's description of a ticket arriving at ``at`` (epoch seconds): a few sentences that fit its
    service and category, drawn by the arrival itself so the history's random stream stays as it was."""
    rng = random.Random(f"{at}:{title}")
    moment = datetime.fromtimestamp(at, tz=UTC)
    began = moment - timedelta(minutes=rng.randint(10, 120))
    opening = rng.choice(OPENINGS.get(category, OPENINGS["application-error"])).format(
        hour=f"{began:%H}:{began.minute // 15 * 15:02d} UTC", day=f"{moment:%Y-%m-%d}"
    )
    sentences = [opening, rng.choice(DETAILS[service]), rng.choice(CLOSINGS)]
    return " ".join(sentence for sentence in sentences if sentence)
