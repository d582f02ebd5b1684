"""Fixtures of the kernel's tests (no Django here): the hand-checked March 2026 log and its contract.

A test module that defines a fixture of the same name uses its own.
"""

import pytest

from servicepact.sla.contract import load_contract
from servicepact.sla.events import parse_event_log
from servicepact.sla.tests.march_log import CONTRACT_PATH, EVENTS_PATH


@pytest.fixture(scope="module")
def contract_bytes() -> bytes:
    return CONTRACT_PATH.read_bytes()


@pytest.fixture(scope="module")
def contract(contract_bytes):
    return load_contract(contract_bytes, str(CONTRACT_PATH))


@pytest.fixture(scope="module")
def events(contract):
    return parse_event_log(EVENTS_PATH.read_bytes().splitlines(), contract, "EVENTS")
