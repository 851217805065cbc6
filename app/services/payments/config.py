"""What the payment services need to know of their deployment, built by the caller from the settings and
the request (no settings or HTTP objects inside services)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from urllib.parse import urlsplit


def stripe_account_name(tenant_external_id: str) -> str:
    """The name of a tenant's own Stripe account, the suffix of its settings (GATEWAY_STRIPE_SECRET_KEY__<NAME>):
    its external id in upper case, each character other than A-Z and 0-9 an underscore (`other-tenant` ->
    OTHER_TENANT)."""
    return re.sub(r"[^A-Z0-9]", "_", tenant_external_id.upper())


@dataclass(frozen=True)
class StripeKeys:
    """A Stripe account as the gateway uses it (from the settings; the secret key never in a repr or log)."""

    secret_key: str = field(repr=False)
    publishable_key: str
    api_base: str | None = None  # None: Stripe's own API


@dataclass(frozen=True)
class PaymentConfig:
    sandbox_url: str  # base URL of the sandbox payment service
    sandbox_secret: str  # callbacks are signed with it
    provider_timeout: float  # seconds for one call to a provider
    pending_for: timedelta  # how long a started payment may stay pending
    public_url: str  # this gateway's base URL: callbacks and the default return page live under it
    sandbox_usable: bool = True  # false in production with the development secret
    stripe: StripeKeys | None = None  # the deployment-wide account; None: none configured
    # Tenants' own Stripe accounts, by account name (the tenant's external id in upper case, other characters
    # `_`: app/settings.py stripe_account_name); a tenant not here uses the deployment-wide account.
    stripe_tenants: Mapping[str, StripeKeys] = field(default_factory=dict)

    @property
    def has_stripe(self) -> bool:
        return self.stripe is not None or bool(self.stripe_tenants)

    def stripe_account_of(self, tenant_external_id: str) -> str | None:
        """The Stripe account of the tenant's new attempts: its own when the settings name one, else None (the
        deployment-wide account)."""
        name = stripe_account_name(tenant_external_id)
        return name if name in self.stripe_tenants else None

    def stripe_keys(self, account: str | None) -> StripeKeys | None:
        """The keys of a Stripe account: a tenant's own (`account`, as recorded on a payment), or the
        deployment-wide one (None)."""
        return self.stripe if account is None else self.stripe_tenants.get(account)

    @property
    def callback_url(self) -> str:
        return f"{self.public_url}/payments/sandbox/callback"

    @property
    def refund_callback_url(self) -> str:
        """Where the sandbox delivers the outcome of a refund it answered PENDING."""
        return f"{self.public_url}/payments/sandbox/refund-callback"

    def return_url(self, given: str | None) -> str:
        return given or f"{self.public_url}/payments/return"

    def reaching(self, started_at: str | None) -> PaymentConfig:
        """This configuration, or, when it knows no sandbox URL (a background task of a gateway without
        GATEWAY_PUBLIC_URL), one that reaches the sandbox at the origin of the page an attempt started on."""
        if self.sandbox_url or not started_at:
            return self
        parts = urlsplit(started_at)
        return replace(self, sandbox_url=f"{parts.scheme}://{parts.netloc}")
