"""Promotions and vouchers: which apply to a draft (pure rules), applying a voucher, counting usage."""
