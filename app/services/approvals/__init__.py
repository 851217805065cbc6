"""B2B purchasing controls (docs/b2b.md): approval rules and flow, budgets, payment terms, account members."""
