"""Payments: provider adapters, attempts, signed callbacks, expiry, payOrder."""
