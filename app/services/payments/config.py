"""What the payment services need to know of their deployment, built by the caller from the settings and
the request (no settings or HTTP objects inside services)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from urllib.parse import urlsplit


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
    stripe: StripeKeys | None = None  # None: no Stripe account configured (a Stripe method cannot start)

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
