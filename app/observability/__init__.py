"""Operability: request ids, structured logs, Prometheus metrics, OpenTelemetry traces (issue 13)."""
