"""Every text the service shows has its Chinese translation: the messages are extracted afresh from a copy of
the source (as ``makemessages`` does for a translator) and none may be missing or only guessed."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import servicepact

SOURCE = Path(servicepact.__file__).resolve().parent

pytestmark = pytest.mark.skipif(
    shutil.which("msgattrib") is None, reason="gettext is not installed (make install-test)"
)


def messages(po: Path, *selection: str) -> list[str]:
    """The msgids of ``po`` that msgattrib selects (the header's empty msgid left out)."""
    selected = subprocess.run(
        ["msgattrib", "--no-obsolete", *selection, str(po)], capture_output=True, text=True, check=True
    ).stdout
    return [msgid for msgid in re.findall(r'^msgid "(.*)"$', selected, flags=re.MULTILINE) if msgid]


def test_every_text_has_its_chinese_translation(tmp_path):
    tree = tmp_path / "servicepact"
    shutil.copytree(SOURCE, tree, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo", "tests"))
    # Without settings, makemessages writes only into the copy's own locale folder.
    environment = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location", "-d", "django"],
        cwd=tree,
        env=environment,
        capture_output=True,
        check=True,
    )
    po = tree / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert len(messages(po)) > 2000, "the extraction found the service's texts"
    assert messages(po, "--untranslated") == []
    assert messages(po, "--only-fuzzy") == []
