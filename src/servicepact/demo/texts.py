"""The words of the demonstration tickets: titles by service and category, and the usual replies."""

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
