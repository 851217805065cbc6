"""Ids and human references: one length limit for every id an API caller can send."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

# Row ids are 32 characters at most, references 50, external ids 100 (the import schema's limit): an
# argument naming a thing by any of them fits. Longer input is no id of ours: answered as "not found"
# without touching the database.
MAX_ID = 100

_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def valid_id(value: str | None) -> bool:
    return bool(value) and len(value) <= MAX_ID


def new_reference(prefix: str = "ORD") -> str:
    return f"{prefix}-{datetime.now(UTC):%y%m%d}-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(6))
