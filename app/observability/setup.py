"""Process set-up shared by `serve` and `dispatch`: logging, the multiprocess metrics directory, tracing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.observability.logging import configure_logging
from app.settings import Settings


def prepare_process(settings: Settings) -> None:
    """Before any worker starts (and before prometheus_client is imported: it picks its storage then)."""
    configure_logging(settings)
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        # Files of a previous run would be summed with this one's: start clean.
        for stale in Path(directory).glob("*.db"):
            stale.unlink()
    else:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="gateway-metrics-")
