"""Who is calling: the resolved request context every service receives."""

from __future__ import annotations

from dataclasses import dataclass, field

# The client types (the dj-client header), and the gateway itself.
ACCOUNT, OPERATOR, SYSTEM = "ACCOUNT", "OPERATOR", "SYSTEM"
CLIENTS = (ACCOUNT, OPERATOR)


@dataclass(frozen=True)
class Caller:
    tenant_id: str
    flags: frozenset[str]
    client: str  # ACCOUNT (buyer scope) | OPERATOR (back office) | SYSTEM (the gateway itself)
    store_id: str
    store_view_id: str | None
    currency: str
    user_id: str | None = None
    user_email: str | None = None
    account_id: str | None = None
    group_id: str | None = None
    token_id: str | None = None
    operator_store_ids: frozenset[str] = field(default_factory=frozenset)
    # A buyer's role in the account it acts for (ADMIN, BUYER, APPROVER, VIEWER: services/access/permissions.py)
    account_role: str | None = None
    # Which purchasing controls the account has, read with the caller (services/pricing/controls.py):
    # RULES (any approval rule), RULES_MINE (one that may apply to this caller's role), BUDGET_ACCOUNT (a
    # budget over all its orders), BUDGET_CENTRES (budgets of cost centres), TERMS (payment terms).
    controls: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_buyer(self) -> bool:
        """Called with the buyer's client type (dj-client: ACCOUNT): sees its accounts' orders and catalog."""
        return self.client == ACCOUNT

    @property
    def is_operator_client(self) -> bool:
        """Called with the back office's client type (dj-client: OPERATOR), signed in or not."""
        return self.client == OPERATOR

    @property
    def is_operator(self) -> bool:
        """A signed-in operator."""
        return self.client == OPERATOR and self.user_id is not None

    @property
    def is_system(self) -> bool:
        """The gateway acting on its own (a payment callback, the expiry sweep)."""
        return self.client == SYSTEM

    def has_flag(self, flag: str) -> bool:
        return flag in self.flags

    @classmethod
    def system(cls, tenant_id: str, store_id: str, currency: str) -> Caller:
        """The gateway acting on its own (a payment callback, the expiry sweep): no user, no account."""
        return cls(
            tenant_id=tenant_id,
            flags=frozenset(),
            client=SYSTEM,
            store_id=store_id,
            store_view_id=None,
            currency=currency,
            user_email="system",
        )
