"""The provider's checkpoint key: Ed25519, kept in ``SERVICEPACT_CHECKPOINT_KEY_FILE`` (by default generated
once in the data directory, as the secret key is; servicepact/environment.py checks it at start-up)."""

import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings


def private_key() -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(settings.SERVICEPACT_CHECKPOINT_KEY_FILE.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{settings.SERVICEPACT_CHECKPOINT_KEY_FILE} does not hold an Ed25519 private key")
    return key


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def raw_public_key(key: Ed25519PublicKey | None = None) -> bytes:
    """The 32 bytes of the public key, which every statement names (hex)."""
    return (key or public_key()).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_pem(key: Ed25519PublicKey | None = None) -> bytes:
    """The public key as ``openssl`` reads it (PEM, SubjectPublicKeyInfo)."""
    return (key or public_key()).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def fingerprint(raw: bytes | None = None) -> str:
    """SHA-256 of the raw public key, hex: what a person compares over the telephone."""
    return hashlib.sha256(raw if raw is not None else raw_public_key()).hexdigest()


def sign(message: bytes) -> bytes:
    return private_key().sign(message)


def read_public_key(data: bytes) -> bytes:
    """The raw public key in a PEM file (SubjectPublicKeyInfo), or given as 64 hexadecimal digits."""
    text = data.strip()
    if len(text) == 64:
        try:
            return bytes.fromhex(text.decode())
        except (UnicodeDecodeError, ValueError):
            pass
    key = serialization.load_pem_public_key(text)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return raw_public_key(key)
