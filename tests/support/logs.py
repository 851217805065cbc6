"""Every log line of the run, as production would write it, kept for the secrets scan."""

from __future__ import annotations

import io
import logging

from app.observability.logging import formatter
from app.settings import Settings


class LogBuffer(logging.Handler):
    """Every log line of the run, rendered by the gateway's own JSON formatter (what production writes)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.stream = io.StringIO()
        self.setFormatter(formatter(Settings(env="production")))

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(self.format(record) + "\n")

    def text(self) -> str:
        return self.stream.getvalue()


LOG_BUFFER = LogBuffer()
