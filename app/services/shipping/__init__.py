"""Shipments and returns (issue 21, scope 7): what left the warehouse per logistic order, and what came back.

It depends on orders (lookups, stock), events (outbox), common and rules; nothing in app/services imports it
except the services that build on it (checkout's refunds). What was shipped or returned of a line is always the
sum of the shipment or return lines (quantities.py), never a stored counter.
"""
