"""Statement ceilings of the benchmark workloads, shared by tests/test_workload_statements.py (in process) and
tests/test_benchmark_suite.py (the served benchmark's /metrics)."""

from __future__ import annotations

# dialect -> workload -> statements per request (W2: per flow of four requests). W2 gained one statement
# with the one placement path (issue 26): placeDraftOrder now checks the buyer's profile like every entry
# point (a read of the user in the placement's own transaction, so a profile completed in the same document
# counts).
# W4 (issue 23): the caller, the page, its variants, their offers with prices, tiers and suppliers, whatever the
# number of products (tests/test_w4_catalog.py), plus SQLite's BEGIN.
CEILING = {
    "sqlite": {"W1": 18, "W2": 83, "W3": 4, "W4": 5},
    "postgresql": {"W1": 15, "W2": 72, "W3": 3, "W4": 4},
}
# What a W3 page that also lists drafts adds: the evaluation loader's orders and lines, and their variants (an
# operator cannot buy the buyer's offers: the lines' SKUs come from their variants), whatever their number.
DRAFTS_IN_PAGE = 3
