"""Password hashing (argon2id) and opaque secrets (API keys, tokens) stored as sha256 digests."""

from __future__ import annotations

import hashlib
import secrets as _secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both paths cost one argon2 verification.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def digest(secret: str) -> str:
    """Digest of a high-entropy secret (API key, token): a fast hash suffices, no salt needed."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token() -> str:
    return _secrets.token_urlsafe(32)
