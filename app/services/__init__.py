"""The domain, by package; no strawberry here.

common/    errors, outcomes, ids, paging, money, secrets, fault points
access/    who calls: request headers to a Caller, tokens, the viewer
catalog/   visibility, price resolution, offers and their availability, product listing
pricing/   the pricing pipeline: pure steps, the batch-loaded snapshot, freezing into stored amounts
orders/    order states, drafts and their lines, idempotency, placement, fulfilment, listing, reads
sources/   quotes and operations (drafts started from a source, operator management)
importer/  the JSON import format
"""
