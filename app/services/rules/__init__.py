"""Leaf rules that every other package asks: statuses with their transition tables, payment and shipping
method eligibility. Imports only `common` (a test checks the package graph has no cycle)."""
