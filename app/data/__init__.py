"""Packaged data: the import JSON Schema and the demo data set."""
