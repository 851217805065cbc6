"""Commercial orders: states, drafts, lines, idempotency, placement, fulfilment, listing."""
