"""Dispatch of the kernel's commands, which run without Django (and so start fast)."""

import importlib
import sys

# command word -> module in servicepact.sla.commands whose main(argv) runs it
KERNEL_COMMANDS = {
    "contract": "contract",
    "sla": "replay",
    "report": "report",
    "backtest": "backtest",
}


def is_kernel_command(argv: list[str]) -> bool:
    return bool(argv) and argv[0] in KERNEL_COMMANDS


def main(argv: list[str]) -> int:
    module = importlib.import_module(f"servicepact.sla.commands.{KERNEL_COMMANDS[argv[0]]}")
    return module.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
