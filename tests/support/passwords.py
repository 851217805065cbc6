"""argon2 verifications remembered within the test process.

Every test database is a copy of one template, so every sign-in of a demo user verifies the same password
against the same argon2id hash: 60 to 150 ms of CPU each (memory-hard on purpose), about a fifth of the
suite's CPU time. The answer of a verification is a pure function of (hash, password), so it is computed once
per process and remembered. Hashing is untouched (same parameters, fresh salts), and `serve` processes the
tests start verify for real.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class RememberingHasher:
    """A `PasswordHasher` whose `verify` answers a (hash, password) pair it has seen from memory."""

    def __init__(self, hasher: PasswordHasher) -> None:
        self._hasher = hasher
        self._answers: dict[tuple[str | bytes, str | bytes], bool | tuple[type[Exception], tuple]] = {}

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002 - PasswordHasher's name
        key = (hash, password)
        if key not in self._answers:
            try:
                self._answers[key] = self._hasher.verify(hash, password)
            except (VerificationError, InvalidHashError) as refused:
                self._answers[key] = (type(refused), refused.args)
        answer = self._answers[key]
        if isinstance(answer, tuple):
            kind, args = answer
            raise kind(*args)  # a fresh exception each time, as argon2 would raise
        return answer

    def __getattr__(self, name: str) -> object:  # hash, check_needs_rehash, parameters: the real hasher's
        return getattr(self._hasher, name)


def remember_verifications() -> None:
    """Install the remembering hasher for this process (the gateway's hasher is a module global)."""
    from app.services.common import secrets

    if not isinstance(secrets._hasher, RememberingHasher):
        secrets._hasher = RememberingHasher(secrets._hasher)
