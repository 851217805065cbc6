"""Structured logs with structlog.

structlog rather than a bare JSON formatter: its context variables put the request id on every line of a
request, including lines of standard-library loggers (ours, uvicorn's, SQLAlchemy's) through
`ProcessorFormatter`, and one processor chain renders either JSON (production) or coloured console lines
(development). Secrets are masked by a processor before any renderer sees the event.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

from app.settings import Settings

# Keys whose values are never written, whatever logs them.
_SECRET_KEY = re.compile(r"pass(word)?|secret|token|authori[sz]ation|api[-_]?key|cookie|card|cvc|iban", re.I)
# Values that look like credentials or card numbers, wherever they appear in a line (messages, tracebacks).
_SECRET_VALUE = re.compile(
    r"(?i)((?:bearer|token)\s+)[A-Za-z0-9._~+/=-]{8,}"  # Authorization header values
    r"|whsec_[A-Za-z0-9+/=]+"  # webhook signing secrets
    r"|\b(?:\d[ -]?){13,19}\b"  # card-like digit runs
)
REDACTED = "[redacted]"
_HANDLER_NAME = "gateway"


def _mask_text(text: str) -> str:
    return _SECRET_VALUE.sub(lambda m: (m.group(1) or "") + REDACTED, text)


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return _mask_text(value)
    if isinstance(value, dict):
        return {k: REDACTED if _SECRET_KEY.search(str(k)) else _mask(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(v) for v in value]
    return value


def redact_secrets(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: secret-named keys are replaced, secret-looking text is masked."""
    for key, value in event.items():
        if _SECRET_KEY.search(key):
            event[key] = REDACTED
        elif isinstance(value, str | dict | list | tuple):
            event[key] = _mask(value)
    return event


def use_json(settings: Settings) -> bool:
    return settings.log_format == "json" or (settings.log_format == "auto" and settings.env != "development")


def formatter(settings: Settings) -> structlog.stdlib.ProcessorFormatter:
    """The formatter of every handler: standard-library records and structlog events alike."""
    shared = _shared_processors()
    if use_json(settings):
        tail = [structlog.processors.format_exc_info, redact_secrets, structlog.processors.JSONRenderer()]
    else:
        tail = [
            structlog.processors.format_exc_info,
            redact_secrets,
            structlog.dev.ConsoleRenderer(exception_formatter=structlog.dev.plain_traceback),
        ]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *tail],
    )


def _shared_processors() -> list:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def configure_logging(settings: Settings) -> None:
    """Route every logger through one handler on stderr; idempotent (each app creation calls it)."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter(settings))
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # One line per request comes from the gateway itself, with more in it than uvicorn's access line.
    logging.getLogger("uvicorn.access").disabled = True
    # httpx logs every webhook call at INFO, URL included; the dispatcher logs its own outcome lines.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)
