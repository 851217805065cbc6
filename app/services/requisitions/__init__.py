"""Requisition lists: an account's saved lists of items (SKU and quantity), and drafts made from them."""
