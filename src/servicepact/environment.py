"""Typed reading of the environment, with errors that name the bad variable.

Settings are read once, here, at start-up; app code reads ``django.conf.settings`` only.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlparse

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


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


def get_choice(name: str, default: str, choices: dict[str, str]) -> str:
    """One of ``choices``' keys (case-insensitive), returned as its value: a short name for a longer one."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return choices[default]
    key = raw.strip().lower()
    if key not in choices:
        raise ConfigurationError(f"{name}={raw!r} is not one of {', '.join(choices)}")
    return choices[key]


def get_redis_url(name: str) -> str | None:
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in {"redis", "rediss", "unix"} or not (parsed.hostname or parsed.path):
        raise ConfigurationError(f"{name} has scheme {parsed.scheme!r}; expected redis://host:6379/0 or rediss://")
    return raw


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
        raise ConfigurationError(f"{name} has scheme {parsed.scheme!r}; expected postgres:// or sqlite://")
    return raw


def get_signing_key_file(name: str, data_dir: Path) -> Path:
    """The file of the provider's Ed25519 key that signs checkpoints (PEM, PKCS #8).

    From the environment, a file that must exist and hold such a key; else one generated once and kept in
    the data directory, as the secret key is. It is written aside and linked into place, so two processes
    starting at once agree on one key and neither reads half a file.
    """
    raw = os.environ.get(name)
    path = Path(raw).expanduser() if raw else data_dir / "checkpoint_key.pem"
    if not raw and not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        aside = data_dir / f".checkpoint_key.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(pem)
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another process was first: its key is the one
        finally:
            aside.unlink()
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as error:
        raise ConfigurationError(f"{name}={str(path)!r} cannot be read: {error.strerror}") from None
    except (ValueError, TypeError):  # not a key, or one locked by a password
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"{name}={str(path)!r} does not hold an Ed25519 private key in PEM (PKCS #8)")
    return path


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


def get_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """The header a TLS-terminating proxy sets to ``https``, as Django's SECURE_PROXY_SSL_HEADER; None unset."""
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return None
    if not all(character.isascii() and (character.isalnum() or character == "-") for character in raw):
        raise ConfigurationError(f"{name}={raw!r} is not a header name; for example X-Forwarded-Proto")
    return "HTTP_" + raw.upper().replace("-", "_"), "https"
