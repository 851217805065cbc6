"""HMAC-SHA256 signatures of the sandbox payment service: over the raw bytes, lowercase hex."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str | None) -> bool:
    return bool(signature) and hmac.compare_digest(sign(secret, body), signature.strip().lower())


def seal(secret: str, payload: dict) -> str:
    """A URL-safe token carrying `payload`, signed so that it cannot be altered (the sandbox keeps no state)."""
    raw = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()).rstrip(b"=")
    return f"{raw.decode()}.{sign(secret, raw)}"


def unseal(secret: str, token: str) -> dict | None:
    raw, _, signature = token.partition(".")
    if not raw or not verify(secret, raw.encode(), signature):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None
