"""``servicepact contract register|sign|versions``: a contract's versions in the service's database.

    servicepact contract register SLUG FILE --as EMAIL
    servicepact contract sign SLUG NUMBER --as EMAIL [--party customer|provider] [--sha256 HEX]
    servicepact contract versions SLUG

They act through the same actions as the pages and the API, as the person named by ``--as``, and are
refused what that person would be refused. Exit status: 0 done; 1 refused by the rules (not allowed,
signed already); 2 bad input (an unknown contract, person or version, a file that cannot be read, a text
the contract language refuses: every problem with its line and column). ``check``, ``schema`` and
``diff`` need no database and are the kernel's (``servicepact contract check FILE``); they are passed on.
"""

import sys

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from servicepact.accounts.models import User
from servicepact.contracts import actions
from servicepact.contracts.models import Contract, ContractVersion
from servicepact.contracts.review import review
from servicepact.refusals import ActionRefused
from servicepact.sla.commands import contract as kernel_contract_command

EXIT_REFUSED, EXIT_BAD_INPUT = 1, 2
KERNEL_SUBCOMMANDS = ("check", "schema", "diff")
# Refusals by the rules, as opposed to bad input: a conflict with the version's state.
CONFLICT = 409


class Command(BaseCommand):
    help = "Register a contract version's text, sign it, list a contract's versions."

    def run_from_argv(self, argv):
        # The kernel's own subcommands run as they do without Django (same output, same exit status).
        if len(argv) > 2 and argv[2] in KERNEL_SUBCOMMANDS:
            sys.exit(kernel_contract_command.main(argv[2:]))
        super().run_from_argv(argv)

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{register,sign,versions}")
        register = commands.add_parser("register", help="register a version's text as a draft")
        register.add_argument("slug", help="the contract's id, like globex-ito")
        register.add_argument("file", help="the contract text (YAML); its version and effective dates are used")
        register.add_argument("--as", dest="actor", required=True, metavar="EMAIL", help="the person registering")
        sign = commands.add_parser("sign", help="sign a version for one party")
        sign.add_argument("slug", help="the contract's id")
        sign.add_argument("number", help="the version's number")
        sign.add_argument("--as", dest="actor", required=True, metavar="EMAIL", help="the person signing")
        sign.add_argument("--party", choices=actions.PARTIES, help="the party signed for; default: the person's side")
        sign.add_argument("--sha256", help="the SHA-256 of the text reviewed; refused if the draft changed since")
        versions = commands.add_parser("versions", help="list a contract's versions")
        versions.add_argument("slug", help="the contract's id")

    def handle(self, *args, **options):
        subcommand = options["subcommand"]
        try:
            if subcommand == "register":
                self.register(options["slug"], options["file"], options["actor"])
            elif subcommand == "sign":
                self.sign(options["slug"], options["number"], options["actor"], options["party"], options["sha256"])
            else:
                self.versions(options["slug"])
        except ActionRefused as refusal:
            lines = [refusal.message] + [
                problem if field == "source" else f"{field}: {problem}"
                for field, problems in refusal.errors.items()
                for problem in problems
                if problem != refusal.message
            ]
            code = EXIT_REFUSED if refusal.status == CONFLICT else EXIT_BAD_INPUT
            raise CommandError("\n".join(lines), returncode=code) from None
        except PermissionDenied as denied:
            raise CommandError(str(denied), returncode=EXIT_REFUSED) from None

    def register(self, slug: str, path: str, email: str) -> None:
        contract, actor = find_contract(slug), find_person(email)
        try:
            with open(path, encoding="utf-8", newline="") as file:
                source = file.read()
        except OSError as error:
            raise CommandError(
                f"FILE: {path}: cannot read the file: {error.strerror}", returncode=EXIT_BAD_INPUT
            ) from None
        except UnicodeDecodeError:
            raise CommandError(f"FILE: {path}: the text is not UTF-8", returncode=EXIT_BAD_INPUT) from None
        version = actions.register_version(contract, actor=actor, source=source)
        self.stdout.write(
            f"{contract.slug} v{version.number} registered as a draft: {dates(version)}, sha256 {version.sha256}"
        )
        checked = review(version)
        if checked.previous is None:
            self.stdout.write("the first signed version of the contract, once signed; nothing to compare")
            return
        self.stdout.write(
            f"--- {contract.slug} v{checked.previous.number} (signed)\n+++ {contract.slug} v{version.number} (draft)"
        )
        for change in checked.changes:
            self.stdout.write(str(change))
        if not checked.changes:
            self.stdout.write("no differences, clause by clause")

    def sign(self, slug: str, number: str, email: str, party: str | None, sha256: str | None) -> None:
        contract, actor = find_contract(slug), find_person(email)
        # ASCII digits, few enough for the column ('³'.isdigit() holds, but int('³') fails)
        if not (number.isascii() and number.isdigit() and len(number) <= 9):
            raise CommandError(f"NUMBER: {number!r} is not a version number", returncode=EXIT_BAD_INPUT)
        version = contract.versions.filter(number=int(number)).first()
        if version is None:
            raise CommandError(
                f"NUMBER: contract {slug} has no version {number} (see: servicepact contract versions {slug})",
                returncode=EXIT_BAD_INPUT,
            )
        version = actions.sign_version(version, actor=actor, party=party, sha256=sha256)
        signer = party or (actions.CUSTOMER if version.customer_signed_by_id == actor.pk else actions.PROVIDER)
        if version.is_signed:
            self.stdout.write(
                f"{contract.slug} v{version.number} signed for the {signer} by {actor.email}; "
                f"signed by both parties, {dates(version)}"
            )
        else:
            waiting = actions.PROVIDER if signer == actions.CUSTOMER else actions.CUSTOMER
            self.stdout.write(
                f"{contract.slug} v{version.number} signed for the {signer} by {actor.email}; waiting for the {waiting}"
            )

    def versions(self, slug: str) -> None:
        contract = find_contract(slug)
        rows = (
            contract.versions.defer("source")
            .select_related("customer_signed_by", "provider_signed_by")
            .order_by("number")
        )
        self.stdout.write(
            "version  status  effective                  customer                        provider"
            "                        sha256"
        )
        for version in rows:
            self.stdout.write(
                f"{version.number:<8} {version.status:<7} {period(version):<26} "
                f"{signature(version, actions.CUSTOMER):<31} {signature(version, actions.PROVIDER):<31} {version.sha256[:12]}"
            )
        if not rows:
            self.stdout.write(f"(contract {slug} has no version yet)")


def find_contract(slug: str) -> Contract:
    contract = Contract.objects.select_related("customer", "provider").filter(slug=slug).first()
    if contract is None:
        known = ", ".join(Contract.objects.order_by("slug").values_list("slug", flat=True)) or "none"
        raise CommandError(f"SLUG: no contract {slug!r} (contracts: {known})", returncode=EXIT_BAD_INPUT)
    return contract


def find_person(email: str) -> User:
    person = User.objects.filter(email__iexact=email.strip()).first()
    if person is None:
        raise CommandError(f"--as: no person with the e-mail address {email!r}", returncode=EXIT_BAD_INPUT)
    return person


def period(version: ContractVersion) -> str:
    return f"{version.effective_from} to {version.effective_to or 'open-ended'}"


def dates(version: ContractVersion) -> str:
    return f"effective {period(version)}"


def signature(version: ContractVersion, party: str) -> str:
    by, at = getattr(version, f"{party}_signed_by"), getattr(version, f"{party}_signed_at")
    if by is None:
        return "-"
    return f"{by.email} {at:%Y-%m-%d %H:%M}Z"
