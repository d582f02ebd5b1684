"""The ``servicepact`` command: the SLA kernel's commands, and Django's management commands."""

import os
import sys

from django.core.management import execute_from_command_line

from servicepact.environment import ConfigurationError
from servicepact.sla import cli as kernel_cli


def main() -> None:
    argv = sys.argv[1:]
    if kernel_cli.is_kernel_command(argv):
        sys.exit(kernel_cli.main(argv))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicepact.settings")
    try:
        execute_from_command_line(["servicepact", *argv])
    except ConfigurationError as error:
        # One line naming the variable, not a traceback: the fix is in the environment, not the code.
        sys.stderr.write(f"servicepact: configuration error: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
