"""B2B purchasing controls (docs/b2b.md): approval rules as they apply to a draft, budgets reserved like stock,
payment terms, budget periods, and their administration. Low in the package graph: pricing, orders, payments and
checkout call them; the approval flow (app/services/approvals) that places approved parts sits above checkout."""
