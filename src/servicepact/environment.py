"""Typed reading of the environment, with errors that name the bad variable.

Settings are read once, here, at start-up; app code reads ``django.conf.settings`` only.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlparse


class ConfigurationError(Exception):
    """A variable of the environment has a value the service cannot start with."""


def get_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a boolean; use true or false")


def get_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name}={raw!r} must be at least {minimum}")
    return value


def get_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_data_dir(name: str, default: str) -> Path:
    path = Path(os.environ.get(name) or default).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigurationError(f"{name}={str(path)!r} cannot be created: {error.strerror}") from None
    if not os.access(path, os.W_OK):
        raise ConfigurationError(f"{name}={str(path)!r} is not writable")
    return path


def get_database_url(name: str) -> str | None:
    raw = os.environ.get(name)
    if not raw:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ConfigurationError(
            f"{name} has scheme {parsed.scheme!r}; expected postgres:// or sqlite://"
        )
    return raw


def get_secret_key(name: str, data_dir: Path) -> str:
    """The key from the environment, else one generated once and kept in the data directory."""
    raw = os.environ.get(name)
    if raw:
        if len(raw) < 32:
            raise ConfigurationError(f"{name} is too short: use at least 32 characters")
        return raw
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
