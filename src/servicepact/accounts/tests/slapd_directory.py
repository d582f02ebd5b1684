"""OpenLDAP (Debian's slapd) for the tests: a generated configuration and directory, loaded with slapadd,
served by slapd in the foreground on a free port until the test ends."""

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from servicepact.testing.servers import free_port, require_program, running

SUFFIX = "dc=globex,dc=example"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "directory-admin-secret"
PEOPLE_BASE = f"ou=people,{SUFFIX}"
GROUP_BASE = f"ou=groups,{SUFFIX}"
DEPARTMENTS = ["Finance", "Sales", "Logistics", "Legal", "Research", "Marketing"]
CONFIG = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
database mdb
maxsize 268435456
suffix "{suffix}"
rootdn "{admin}"
rootpw {password}
directory {folder}/data
index objectClass eq
index uid,mail eq
access to attrs=userPassword by anonymous auth by * none
access to * by * read
"""


@dataclass
class Directory:
    url: str
    folder: Path
    config: Path

    def modify(self, ldif: str) -> None:
        """Changes the running directory (ldapmodify as its administrator)."""
        subprocess.run(
            [require_program("ldapmodify"), "-x", "-H", self.url, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD],
            input=ldif,
            text=True,
            check=True,
            capture_output=True,
        )


def uid(number: int) -> str:
    return f"p{number:05d}"


def person_dn(number: int) -> str:
    return f"uid={uid(number)},{PEOPLE_BASE}"


def directory_ldif(people: int) -> str:
    """``people`` people in six departments, each managed by its department's first person; every tenth a
    Chinese speaker; every hundredth disabled; the first five in the service desk managers' group."""
    blocks = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: globex\no: Globex",
        f"dn: {PEOPLE_BASE}\nobjectClass: organizationalUnit\nou: people",
        f"dn: {GROUP_BASE}\nobjectClass: organizationalUnit\nou: groups",
    ]
    for number in range(1, people + 1):
        department = DEPARTMENTS[number % len(DEPARTMENTS)]
        head = next(n for n in range(1, len(DEPARTMENTS) + 1) if n % len(DEPARTMENTS) == number % len(DEPARTMENTS))
        lines = [
            f"dn: {person_dn(number)}",
            "objectClass: inetOrgPerson",
            f"uid: {uid(number)}",
            f"cn: Person {number}",
            f"sn: {number}",
            f"mail: {uid(number)}@globex.example",
            f"departmentNumber: {department}",
            f"preferredLanguage: {'zh-CN' if number % 10 == 0 else 'en-US'}",
            f"userPassword: secret-{uid(number)}",
        ]
        if head != number:
            lines.append(f"manager: {person_dn(head)}")
        if number % 100 == 0:
            lines.append("employeeType: disabled")
        blocks.append("\n".join(lines))
    members = "\n".join(f"member: {person_dn(number)}" for number in range(1, 6))
    blocks.append(
        f"dn: cn=servicedesk-managers,{GROUP_BASE}\nobjectClass: groupOfNames\ncn: servicedesk-managers\n{members}"
    )
    return "\n\n".join(blocks) + "\n"


@contextmanager
def slapd_directory(folder: Path, people: int) -> Iterator[Directory]:
    slapd = require_program("slapd")
    slapadd = require_program("slapadd")
    (folder / "data").mkdir(parents=True)
    config = folder / "slapd.conf"
    config.write_text(CONFIG.format(folder=folder, suffix=SUFFIX, admin=ADMIN_DN, password=ADMIN_PASSWORD))
    data = folder / "directory.ldif"
    data.write_text(directory_ldif(people))
    subprocess.run([slapadd, "-q", "-f", str(config), "-l", str(data)], check=True, capture_output=True)
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    with running([slapd, "-d", "0", "-h", f"{url}/", "-f", str(config)], port):
        yield Directory(url=url, folder=folder, config=config)
