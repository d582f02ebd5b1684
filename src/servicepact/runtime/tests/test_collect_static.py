"""`serve` collects the static files only when they changed: a restart after a crash does not wait for it."""

import os

from servicepact.runtime.management.commands.serve import collect_static


def test_static_files_are_collected_again_only_when_one_changed(tmp_path, settings):
    source = tmp_path / "static"
    source.mkdir()
    (source / "app.css").write_text("body { color: black; }")
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    assert collect_static() is True
    assert (tmp_path / "collected" / "app.css").read_text() == "body { color: black; }"
    assert collect_static() is False

    (source / "app.css").write_text("body { color: navy; }")
    os.utime(source / "app.css", ns=(1, 2_000_000_000_000_000_000))
    assert collect_static() is True
    assert (tmp_path / "collected" / "app.css").read_text() == "body { color: navy; }"
    assert collect_static() is False
