"""The approval flow (docs/b2b.md): requestApproval, approveDraftOrder, rejectDraftOrder. Above checkout: an
approved part is placed through the one placement function. The rules, budgets and terms it applies are in
app/services/purchase_controls."""
