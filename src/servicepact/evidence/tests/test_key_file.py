"""The provider's checkpoint key: generated once in the data directory, or given; a bad one stops start-up."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key

from servicepact.environment import ConfigurationError, get_signing_key_file

NAME = "SERVICEPACT_CHECKPOINT_KEY_FILE"


def test_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    path = get_signing_key_file(NAME, tmp_path)
    first = path.read_bytes()
    assert path == tmp_path / "checkpoint_key.pem" and path.stat().st_mode & 0o777 == 0o600
    assert get_signing_key_file(NAME, tmp_path).read_bytes() == first
    assert [entry.name for entry in tmp_path.iterdir()] == ["checkpoint_key.pem"], "nothing left aside"


def test_a_given_file_must_exist_and_hold_an_ed25519_key(tmp_path, monkeypatch):
    monkeypatch.setenv(NAME, str(tmp_path / "missing.pem"))
    with pytest.raises(ConfigurationError, match="SERVICEPACT_CHECKPOINT_KEY_FILE=.*missing.pem' cannot be read"):
        get_signing_key_file(NAME, tmp_path)
    other = tmp_path / "ec.pem"
    other.write_bytes(
        generate_private_key(SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    monkeypatch.setenv(NAME, str(other))
    with pytest.raises(ConfigurationError, match="does not hold an Ed25519 private key"):
        get_signing_key_file(NAME, tmp_path)
    (tmp_path / "text.pem").write_text("not a key")
    monkeypatch.setenv(NAME, str(tmp_path / "text.pem"))
    with pytest.raises(ConfigurationError, match="does not hold an Ed25519 private key"):
        get_signing_key_file(NAME, tmp_path)
