"""Debian's Dovecot for the tests: its own configuration, users and maildirs in a fresh folder, serving
IMAP in the foreground on a free port until the test ends. Mail is put in with IMAP APPEND, as any
mail client (or the mail server's delivery) would."""

import imaplib
import os
import pwd
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from servicepact.testing.servers import free_port, require_program, running

CONFIG = """protocols = imap
listen = 127.0.0.1
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = {uid}
mail_location = maildir:{folder}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={folder}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


@dataclass
class ImapServer:
    host: str
    port: int
    users: dict[str, str]

    def deliver(self, user: str, raw: bytes, folder: str = "INBOX") -> None:
        with imaplib.IMAP4(self.host, self.port, timeout=10) as imap:
            imap.login(user, self.users[user])
            imap.append(folder, "", imaplib.Time2Internaldate(0), raw)


@contextmanager
def dovecot(users: dict[str, str]) -> Iterator[ImapServer]:
    program = require_program("dovecot")
    # The mail processes run as "nobody", who must reach the folder: not under pytest's private temp root.
    folder = Path(tempfile.mkdtemp(prefix="servicepact-dovecot-"))
    try:
        nobody = pwd.getpwnam("nobody")
        for name in ("run", "state", "mail", "home"):
            (folder / name).mkdir()
        for name in ("mail", "home"):
            os.chown(folder / name, nobody.pw_uid, nobody.pw_gid)
        folder.chmod(0o755)
        (folder / "users").write_text("".join(f"{user}:{{PLAIN}}{password}\n" for user, password in users.items()))
        port = free_port()
        config = folder / "dovecot.conf"
        config.write_text(CONFIG.format(folder=folder, port=port, uid=nobody.pw_uid, gid=nobody.pw_gid))
        with running([program, "-F", "-c", str(config)], port):
            yield ImapServer("127.0.0.1", port, users)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
