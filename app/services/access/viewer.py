"""What the viewer query shows: the caller's user, account, store and store view."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Account, AccountStore, Address, Membership, Store, StoreView, User
from app.services.common.caller import Caller
from app.services.common.ids import valid_id


@dataclass
class ViewerData:
    user: User | None
    account: Account | None
    store: Store
    store_view: StoreView | None


async def load_viewer(session: AsyncSession, caller: Caller) -> ViewerData:
    return ViewerData(
        user=await session.get(User, caller.user_id) if caller.user_id else None,
        account=await session.get(Account, caller.account_id) if caller.account_id else None,
        store=await session.get(Store, caller.store_id),
        store_view=await session.get(StoreView, caller.store_view_id) if caller.store_view_id else None,
    )


async def addresses_by_account(session: AsyncSession, caller: Caller, account_ids: Sequence[str]) -> dict:
    """Addresses of the buyer's own account; for an operator, of accounts attached to its stores. Deleted
    ones are hidden (orders keep them); the default comes first."""
    ids = [a for a in account_ids if caller.is_operator or a == caller.account_id]
    grouped: dict[str, list[Address]] = defaultdict(list)
    if ids:
        query = select(Address).where(
            Address.account_id.in_(ids), Address.tenant_id == caller.tenant_id, Address.deleted_at.is_(None)
        )
        if caller.is_operator:
            query = query.where(
                exists().where(
                    AccountStore.account_id == Address.account_id, AccountStore.store_id.in_(caller.operator_store_ids)
                )
            )
        for a in await session.scalars(query.order_by(Address.is_default.desc(), Address.external_id, Address.id)):
            grouped[a.account_id].append(a)
    return grouped


async def accounts_by_user(session: AsyncSession, user_ids: Sequence[str]) -> dict:
    grouped: dict[str, list[Account]] = defaultdict(list)
    rows = await session.execute(
        select(Membership.user_id, Account)
        .join(Account, Account.id == Membership.account_id)
        .where(Membership.user_id.in_(user_ids))
        .order_by(Account.name)
    )
    for user_id, account in rows:
        grouped[user_id].append(account)
    return grouped


async def find_account_address(
    session: AsyncSession, tenant_id: str, account_id: str, address_id: str
) -> Address | None:
    """A live address of the account by id or external id (anything else, a deleted one included: None, as if
    it did not exist)."""
    if not valid_id(address_id):
        return None
    return await session.scalar(
        select(Address).where(
            Address.tenant_id == tenant_id,
            Address.account_id == account_id,
            Address.deleted_at.is_(None),
            or_(Address.id == address_id, Address.external_id == address_id),
        )
    )
