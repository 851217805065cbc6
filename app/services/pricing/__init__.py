"""The pricing pipeline of drafts and orders: pure steps over one batch-loaded snapshot."""
