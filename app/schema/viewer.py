"""Viewer, users, accounts, addresses, stores."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from app import models
from app.schema.approval_parts import AccountPermission, AccountRole, PaymentTerms, terms_of
from app.schema.common import Node, UserError


@strawberry.enum
class ClientType(Enum):
    ACCOUNT = "ACCOUNT"
    OPERATOR = "OPERATOR"


@strawberry.type
class Address(Node):
    id: strawberry.ID
    external_id: str | None
    full_name: str | None
    street: str
    city: str
    postal_code: str | None
    state: str | None
    country: str
    phone: str | None
    is_shipping: bool
    is_billing: bool
    is_default: bool = strawberry.field(
        description="The account's default address (at most one): listed first, and createOrderFromCart's saved "
        "billing address when it serves billing. Set it with setDefaultAddress."
    )

    @classmethod
    def of(cls, a: models.Address) -> Address:
        return cls(
            id=strawberry.ID(a.id),
            external_id=a.external_id,
            full_name=a.full_name,
            street=a.street,
            city=a.city,
            postal_code=a.postal_code,
            state=a.state,
            country=a.country,
            phone=a.phone,
            is_shipping=a.is_shipping,
            is_billing=a.is_billing,
            is_default=bool(a.is_default),
        )


@strawberry.type
class Account(Node):
    id: strawberry.ID
    external_id: str | None
    name: str
    payment_terms: PaymentTerms | None = strawberry.field(
        default=None, description="Its payment terms (orders placed with a DIRECT method get paymentDueAt)."
    )

    @strawberry.field
    async def addresses(self, info: strawberry.Info) -> list[Address]:
        rows = await info.context.loaders.addresses_by_account.load(str(self.id))
        return [Address.of(a) for a in rows]

    @classmethod
    def of(cls, a: models.Account) -> Account:
        return cls(id=strawberry.ID(a.id), external_id=a.external_id, name=a.name, payment_terms=terms_of(a))


@strawberry.type
class CustomerUser(Node):
    id: strawberry.ID
    email: str
    first_name: str | None
    last_name: str | None
    profile_completed: bool
    is_operator: bool

    @strawberry.field(description="Accounts the user may buy for (pick one with customer-account-id).")
    async def accounts(self, info: strawberry.Info) -> list[Account]:
        rows = await info.context.loaders.accounts_by_user.load(str(self.id))
        return [Account.of(a) for a in rows]

    @classmethod
    def of(cls, u: models.User) -> CustomerUser:
        return cls(
            id=strawberry.ID(u.id),
            email=u.email,
            first_name=u.first_name,
            last_name=u.last_name,
            profile_completed=u.profile_completed,
            is_operator=u.role == "OPERATOR",
        )


@strawberry.type
class StoreView(Node):
    id: strawberry.ID
    external_id: str
    name: str
    locale: str | None
    currency: str | None

    @classmethod
    def of(cls, v: models.StoreView) -> StoreView:
        return cls(id=strawberry.ID(v.id), external_id=v.external_id, name=v.name, locale=v.locale, currency=v.currency)


@strawberry.type
class Store(Node):
    id: strawberry.ID
    external_id: str
    name: str
    currency: str

    @classmethod
    def of(cls, s: models.Store) -> Store:
        return cls(id=strawberry.ID(s.id), external_id=s.external_id, name=s.name, currency=s.currency)


@strawberry.type
class Viewer:
    client_type: ClientType
    user: CustomerUser | None
    account: Account | None
    store: Store
    store_view: StoreView | None
    currency: str
    account_role: AccountRole | None = strawberry.field(
        default=None, description="A buyer's role in the account it acts for (docs/b2b.md)."
    )
    account_permissions: list[AccountPermission] = strawberry.field(
        default_factory=list, description="What that role allows."
    )


@strawberry.type
class CreateTokenPayload:
    token: str | None
    expires_at: datetime | None
    errors: list[UserError]


@strawberry.type
class RevokeTokenPayload:
    revoked: bool
    errors: list[UserError]
