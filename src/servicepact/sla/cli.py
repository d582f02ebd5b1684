"""Dispatch of the kernel's commands, which run without Django (and so start fast)."""

import importlib
import sys

# command word -> module in servicepact.sla.commands whose main(argv) runs it
KERNEL_COMMANDS = {
    "contract": "contract",
    "sla": "replay",
    "report": "report",
    "backtest": "backtest",
    "capacity": "capacity",
    "invoice": "invoice",
}

# ``servicepact contract <word>`` that the service runs (contracts' management command ``contract``).
SERVICE_CONTRACT_COMMANDS = ("register", "sign", "versions")


def is_kernel_command(argv: list[str]) -> bool:
    if not argv or argv[0] not in KERNEL_COMMANDS:
        return False
    # A backtest without --baseline compares with the contract in force in the service's database,
    # which only the service can look up: that one is a management command.
    if argv[0] == "backtest" and not any(arg == "--baseline" or arg.startswith("--baseline=") for arg in argv):
        return False
    # Registering, signing and listing a contract's versions work on the service's database too.
    if argv[0] == "contract" and len(argv) > 1 and argv[1] in SERVICE_CONTRACT_COMMANDS:
        return False
    return True


def main(argv: list[str]) -> int:
    module = importlib.import_module(f"servicepact.sla.commands.{KERNEL_COMMANDS[argv[0]]}")
    return module.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
