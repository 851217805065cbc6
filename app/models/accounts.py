"""Accounts (buying companies), groups, users, memberships, addresses and auth tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, created_at, pk


class AccountGroup(Base):
    __tablename__ = "account_groups"
    __table_args__ = (UniqueConstraint("tenant_id", "external_id"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("tenant_id", "external_id"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    group_id: Mapped[str | None] = mapped_column(ForeignKey("account_groups.id", ondelete="SET NULL"))
    # Payment terms (docs/b2b.md): NET (payment_terms_days after placement), END_OF_MONTH, ON_RECEIPT; None: none.
    payment_terms: Mapped[str | None] = mapped_column(String(20))
    payment_terms_days: Mapped[int | None] = mapped_column(Integer)
    created_at = created_at()


class AccountStore(Base):
    """The stores an account may buy in."""

    __tablename__ = "account_stores"
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True)


class User(Base):
    """A customer user (role BUYER) or a back-office operator (role OPERATOR)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("tenant_id", "email"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="BUYER")
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    profile_completed: Mapped[bool] = mapped_column(Boolean, default=False)
    default_account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = created_at()


class Membership(Base):
    """A user's membership in an account, with its role there (services/access/permissions.py)."""

    __tablename__ = "memberships"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default="BUYER", server_default="BUYER")
    # An approver approves supplier parts up to this total (minor units); None: no limit of its own.
    approval_limit: Mapped[int | None] = mapped_column(BigInteger)


class UserStore(Base):
    """Stores an operator is attached to."""

    __tablename__ = "user_stores"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True)


class Address(Base):
    """An address of an account. A buyer's delete hides it (`deleted_at`) but keeps the row: orders placed
    with it name it by id and must keep showing it (app/services/orders/addresses.py)."""

    __tablename__ = "addresses"
    __table_args__ = (UniqueConstraint("tenant_id", "external_id"),)
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    full_name: Mapped[str | None] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    is_shipping: Mapped[bool] = mapped_column(Boolean, default=True)
    is_billing: Mapped[bool] = mapped_column(Boolean, default=True)
    # The account's default address (at most one per account): listed first, the saved billing address of
    # createOrderFromCart when it is a billing address.
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when the buyer deleted it: hidden from the account's addresses and from checkout, kept for orders.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuthToken(Base):
    __tablename__ = "auth_tokens"
    id: Mapped[str] = pk()
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # sha256 hex of the opaque token; the token itself is shown once, at creation.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at = created_at()
