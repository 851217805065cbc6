"""The buyer's address book: create, update, delete and choose the default address of its account.

An address names a place, and orders name addresses by id (`orders.shipping_address_id` and
`billing_address_id`). What a buyer expects:

- an order that is no longer a draft (waiting for its payment, placed, canceled) keeps the address it was
  placed with, whatever the buyer does to the book afterwards;
- a delete hides the address (from `Account.addresses`, checkoutCart, updateDraftOrder and
  createOrderFromCart) and keeps the row for those orders; a draft still naming it gets a
  SHIPPING/BILLING_ADDRESS_REQUIRED issue at its next evaluation (app/services/pricing/evaluation.py);
- an update of an address such an order names does not rewrite it: the old row is hidden and kept for those
  orders, a new row (a new id, the same external id) takes its place in the book, and the account's drafts
  that named the old one name the new one. An address no frozen order names is updated in place.

At most one address of an account is its default (`is_default`). The account's row is locked first, so the
edits of one account's book run one at a time (the default stays unique under concurrent calls).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Account, Address, Order, utcnow
from app.services.access.viewer import find_account_address
from app.services.common.address_fields import AddressFields, clean_address
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem
from app.services.common.outcome import Outcome, service
from app.services.rules.states import OrderStatus, is_draft

MAX_ADDRESSES = 200  # live addresses per account: a book, not a dump
DRAFT_STATUSES = tuple(s for s in OrderStatus if is_draft(s))


@dataclass(frozen=True)
class AddressChange:
    fields: AddressFields
    is_shipping: bool | None = None
    is_billing: bool | None = None


async def _lock_book(session: AsyncSession, caller: Caller) -> None:
    await session.execute(select(Account.id).where(Account.id == caller.account_id).with_for_update())


async def _find(session: AsyncSession, caller: Caller, address_id: str) -> Address | Problem:
    """A live address of the caller's account (by id or external id); anything else answers as absent."""
    address = await find_account_address(session, caller.tenant_id, caller.account_id or "", address_id)
    if address is None:
        return Problem(ErrorCode.ADDRESS_NOT_FOUND, f"no address {address_id!r} in your account", field=("id",))
    return address


def _uses_problem(is_shipping: bool, is_billing: bool) -> list[Problem]:
    if is_shipping or is_billing:
        return []
    message = "an address serves shipping, billing or both"
    return [Problem(ErrorCode.INVALID_INPUT, message, field=("input", "isShipping"))]


async def _set_default(session: AsyncSession, address: Address) -> None:
    await session.execute(
        update(Address)
        .where(Address.account_id == address.account_id, Address.id != address.id, Address.is_default.is_(True))
        .values(is_default=False)
        .execution_options(synchronize_session="fetch")
    )
    address.is_default = True


@service
async def create_address(
    session: AsyncSession, caller: Caller, change: AddressChange, *, make_default: bool = False
) -> Outcome[Address]:
    values, problems = clean_address(change.fields, ("input",), creating=True)
    is_shipping = True if change.is_shipping is None else change.is_shipping
    is_billing = True if change.is_billing is None else change.is_billing
    problems += _uses_problem(is_shipping, is_billing)
    if problems:
        return Outcome.refused(*problems)
    await _lock_book(session, caller)
    count = await session.scalar(
        select(func.count()).where(Address.account_id == caller.account_id, Address.deleted_at.is_(None))
    )
    if (count or 0) >= MAX_ADDRESSES:
        return Outcome.refused(Problem(ErrorCode.INVALID_INPUT, f"an account keeps at most {MAX_ADDRESSES} addresses"))
    address = Address(
        tenant_id=caller.tenant_id,
        account_id=caller.account_id,
        is_shipping=is_shipping,
        is_billing=is_billing,
        is_default=False,
        **values,
    )
    session.add(address)
    await session.flush()
    if make_default:
        await _set_default(session, address)
        await session.flush()
    return Outcome.done(address)


async def _named_by_frozen_order(session: AsyncSession, address_id: str) -> bool:
    """Whether an order that is no longer a draft names the address (it must keep it as it is)."""
    return bool(
        await session.scalar(
            select(
                exists().where(
                    or_(Order.shipping_address_id == address_id, Order.billing_address_id == address_id),
                    Order.status.not_in(DRAFT_STATUSES),
                )
            )
        )
    )


@service
async def update_address(
    session: AsyncSession, caller: Caller, address_id: str, change: AddressChange
) -> Outcome[Address]:
    """The address as it now is in the book: the same row, or its replacement when a frozen order named it."""
    values, problems = clean_address(change.fields, ("input",), creating=False)
    await _lock_book(session, caller)
    found = await _find(session, caller, address_id)
    if isinstance(found, Problem):
        return Outcome.refused(found, *problems)
    is_shipping = found.is_shipping if change.is_shipping is None else change.is_shipping
    is_billing = found.is_billing if change.is_billing is None else change.is_billing
    problems += _uses_problem(is_shipping, is_billing)
    if problems:
        return Outcome.refused(*problems)
    if not await _named_by_frozen_order(session, found.id):
        for name, value in values.items():
            setattr(found, name, value)
        found.is_shipping, found.is_billing = is_shipping, is_billing
        await session.flush()
        return Outcome.done(found)
    current = {name: getattr(found, name) for name in AddressFields.__dataclass_fields__}
    replacement = Address(
        tenant_id=found.tenant_id,
        account_id=found.account_id,
        external_id=found.external_id,
        is_shipping=is_shipping,
        is_billing=is_billing,
        is_default=found.is_default,
        **(current | values),
    )
    # The old row leaves the book first: its external id and default flag move to the replacement.
    found.external_id, found.is_default, found.deleted_at = None, False, utcnow()
    await session.flush()
    session.add(replacement)
    await session.flush()
    for column in (Order.shipping_address_id, Order.billing_address_id):
        await session.execute(
            update(Order)
            .where(Order.account_id == found.account_id, Order.status.in_(DRAFT_STATUSES), column == found.id)
            .values({column.key: replacement.id})
            .execution_options(synchronize_session=False)
        )
    return Outcome.done(replacement)


@service
async def delete_address(session: AsyncSession, caller: Caller, address_id: str) -> Outcome[str]:
    """Hide the address from the book; the row stays for the orders that name it. The value: its id."""
    await _lock_book(session, caller)
    found = await _find(session, caller, address_id)
    if isinstance(found, Problem):
        return Outcome.refused(found)
    found.deleted_at, found.is_default = utcnow(), False
    await session.flush()
    return Outcome.done(found.id)


@service
async def set_default_address(session: AsyncSession, caller: Caller, address_id: str) -> Outcome[Address]:
    await _lock_book(session, caller)
    found = await _find(session, caller, address_id)
    if isinstance(found, Problem):
        return Outcome.refused(found)
    await _set_default(session, found)
    await session.flush()
    return Outcome.done(found)
