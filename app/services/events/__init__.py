"""Order events out: the transactional outbox and webhook subscriptions."""
