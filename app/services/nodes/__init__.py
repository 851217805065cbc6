"""`node(id:)` and `nodes(ids:)`: what an id names, for a caller that may see it (app/services/nodes/lookup.py)."""
