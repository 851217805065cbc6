"""Start sources of drafts: quotes and operations."""
