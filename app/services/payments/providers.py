"""Payment providers behind one small interface, chosen per payment method (`PaymentMethod.provider`).

An adapter for a real provider implements `start` (create the payment at the provider; a redirect provider
answers the URL the buyer continues at), `parse_callback` (check the provider's signature over the raw
request and read what it says), and the money after the payment: `capture` (part or all of what an approved
payment holds), `void` (release what is held and not taken) and `refund` (give taken money back; a provider
may answer PENDING and settle it later with a signed callback). Each of those carries the gateway's own
transaction id, which the provider uses as its idempotency key. Everything else (attempt rows, the ledger,
order states, stock, idempotency, expiry) is the gateway's, the same for every provider. See docs/payments.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import httpx

from app.services.common.money import MoneyError, parse_amount, to_decimal
from app.services.payments.config import PaymentConfig
from app.services.payments.signing import sign, verify

SIGNATURE_HEADER = "x-sandbox-signature"


@dataclass(frozen=True)
class StartRequest:
    payment_id: str
    order_key: str
    amount: int  # minor units
    currency: str
    return_url: str
    callback_url: str
    capture_mode: str = "AUTOMATIC"  # MANUAL: the provider only authorizes (captured later)


@dataclass(frozen=True)
class Started:
    next_step: str | None  # where the buyer continues (redirect providers); None for direct ones
    reference: str | None  # the provider's own id of the payment
    # What the buyer's page confirms the payment with (Stripe.js and a PaymentIntent's client secret)
    client_secret: str | None = None


@dataclass(frozen=True)
class CallbackEvent:
    payment_id: str
    order_key: str
    status: str  # APPROVED | REFUSED
    amount: int  # minor units
    currency: str
    timestamp: int  # Unix seconds


@dataclass(frozen=True)
class RefundCallbackEvent:
    """The provider's later answer about a refund it answered PENDING."""

    refund_id: str  # the gateway's transaction id (`MoneyRequest.transaction_id`)
    reference: str | None  # the provider's id of the refund
    order_key: str
    status: str  # SUCCEEDED | FAILED
    failure: str | None  # why it FAILED
    amount: int  # minor units
    currency: str
    timestamp: int  # Unix seconds


@dataclass(frozen=True)
class MoneyRequest:
    """A capture, void or refund asked of the provider for one payment attempt."""

    transaction_id: str  # the gateway's ledger entry: the provider's idempotency key
    payment_reference: str | None  # the provider's id of the payment (`Started.reference`)
    order_key: str
    amount: int  # minor units (a void: what is released)
    currency: str
    reason: str | None = None
    callback_url: str | None = None  # where an asynchronous answer (a refund's) is delivered


@dataclass(frozen=True)
class MoneyAnswer:
    status: str  # SUCCEEDED | FAILED | PENDING (settled later by a signed callback)
    reference: str | None  # the provider's id of the capture, void or refund
    failure: str | None = None  # why it FAILED


class ProviderUnavailable(Exception):
    """The provider could not be reached, timed out, or answered with an error: nothing was started."""


class InvalidCallback(Exception):
    """A callback that cannot be trusted (bad or missing signature: `forged`) or read (malformed body)."""

    def __init__(self, message: str, *, forged: bool) -> None:
        super().__init__(message)
        self.forged = forged


class PaymentProvider(Protocol):
    name: str

    async def start(self, request: StartRequest) -> Started: ...

    def parse_callback(self, headers: Mapping[str, str], body: bytes) -> CallbackEvent: ...

    async def capture(self, request: MoneyRequest) -> MoneyAnswer: ...

    async def void(self, request: MoneyRequest) -> MoneyAnswer: ...

    async def refund(self, request: MoneyRequest) -> MoneyAnswer: ...

    def parse_refund_callback(self, headers: Mapping[str, str], body: bytes) -> RefundCallbackEvent: ...


class DirectProvider:
    """Pay on delivery, bank wire: nothing to call; the order waits for its payment (AWAITING_PAYMENT), which
    an operator records (recordPayment). Its money moves outside the gateway, so capturing, voiding and
    refunding it are records that settle at once: a refund is the shop's promise to pay the buyer back (by
    wire, in cash), written to the ledger when the operator makes it."""

    name = "direct"

    async def start(self, request: StartRequest) -> Started:
        return Started(next_step=None, reference=None)

    async def capture(self, request: MoneyRequest) -> MoneyAnswer:
        return MoneyAnswer("SUCCEEDED", None)

    async def void(self, request: MoneyRequest) -> MoneyAnswer:
        return MoneyAnswer("SUCCEEDED", None)

    async def refund(self, request: MoneyRequest) -> MoneyAnswer:
        return MoneyAnswer("SUCCEEDED", None)

    def parse_callback(self, headers: Mapping[str, str], body: bytes) -> CallbackEvent:
        raise InvalidCallback("direct payments have no callbacks", forged=True)

    def parse_refund_callback(self, headers: Mapping[str, str], body: bytes) -> RefundCallbackEvent:
        raise InvalidCallback("direct refunds settle at once: they have no callbacks", forged=True)


class SandboxProvider:
    """The sandbox payment service (served by the gateway itself, app/http/sandbox_psp.py), reached over
    HTTP like a real one: connection errors, timeouts and error answers are real."""

    name = "sandbox"

    def __init__(self, config: PaymentConfig) -> None:
        self.config = config

    async def start(self, request: StartRequest) -> Started:
        if not self.config.sandbox_usable:
            raise ProviderUnavailable("the sandbox payment service has no secret of this deployment")
        body = {
            "paymentId": request.payment_id,
            "orderKey": request.order_key,
            "amount": str(to_decimal(request.amount)),
            "currency": request.currency,
            "returnUrl": request.return_url,
            "callbackUrl": request.callback_url,
        }
        raw = json.dumps(body).encode()
        headers = {"content-type": "application/json", SIGNATURE_HEADER: sign(self.config.sandbox_secret, raw)}
        try:
            async with httpx.AsyncClient(timeout=self.config.provider_timeout) as client:
                resp = await client.post(
                    f"{self.config.sandbox_url}/payments/sandbox/sessions", content=raw, headers=headers
                )
            if resp.status_code != 201:
                raise ProviderUnavailable(f"the sandbox answered HTTP {resp.status_code}")
            answer = resp.json()
            return Started(next_step=str(answer["url"]), reference=str(answer["reference"]))
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise ProviderUnavailable(f"the sandbox could not be reached: {type(exc).__name__}") from exc

    async def capture(self, request: MoneyRequest) -> MoneyAnswer:
        return await self._call("captures", request)

    async def void(self, request: MoneyRequest) -> MoneyAnswer:
        return await self._call("voids", request)

    async def refund(self, request: MoneyRequest) -> MoneyAnswer:
        """Answered PENDING: the sandbox settles the refund later with a signed callback to `callback_url`."""
        return await self._call("refunds", request)

    async def _call(self, operation: str, request: MoneyRequest) -> MoneyAnswer:
        """POST a signed request to the sandbox (it refuses unsigned ones); its JSON answer says the outcome."""
        if not self.config.sandbox_usable:
            raise ProviderUnavailable("the sandbox payment service has no secret of this deployment")
        body = json.dumps(
            {
                "id": request.transaction_id,
                "paymentReference": request.payment_reference,
                "orderKey": request.order_key,
                "amount": str(to_decimal(request.amount)),
                "currency": request.currency,
                "reason": request.reason,
                "callbackUrl": request.callback_url,
            }
        ).encode()
        headers = {"content-type": "application/json", SIGNATURE_HEADER: sign(self.config.sandbox_secret, body)}
        try:
            async with httpx.AsyncClient(timeout=self.config.provider_timeout) as client:
                resp = await client.post(
                    f"{self.config.sandbox_url}/payments/sandbox/{operation}", content=body, headers=headers
                )
            if resp.status_code not in (200, 202):
                raise ProviderUnavailable(f"the sandbox answered HTTP {resp.status_code}")
            answer = resp.json()
            status = str(answer["status"])
            if status not in ("SUCCEEDED", "FAILED", "PENDING"):
                raise ValueError(status)
            return MoneyAnswer(status, str(answer["reference"]), answer.get("failure"))
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise ProviderUnavailable(f"the sandbox could not be reached: {type(exc).__name__}") from exc

    def _verified(self, headers: Mapping[str, str], body: bytes) -> None:
        if not self.config.sandbox_usable or not verify(
            self.config.sandbox_secret, body, headers.get(SIGNATURE_HEADER)
        ):
            raise InvalidCallback("bad or missing signature", forged=True)

    def parse_callback(self, headers: Mapping[str, str], body: bytes) -> CallbackEvent:
        self._verified(headers, body)
        try:
            data = json.loads(body)
            # the one strict money parser: a decimal string, at most two decimals, no exponent ("74.00E-1")
            amount = parse_amount(data["amount"])
            if not isinstance(data["timestamp"], int):
                raise ValueError
            status = str(data["status"])
            if status not in ("APPROVED", "REFUSED"):
                raise ValueError
            return CallbackEvent(
                payment_id=str(data["paymentId"]),
                order_key=str(data["orderKey"]),
                status=status,
                amount=amount,
                currency=str(data["currency"]),
                timestamp=data["timestamp"],
            )
        except (ValueError, KeyError, TypeError, MoneyError) as exc:
            raise InvalidCallback("malformed callback body", forged=False) from exc

    def parse_refund_callback(self, headers: Mapping[str, str], body: bytes) -> RefundCallbackEvent:
        """The sandbox's refund callback (app/http/sandbox_psp.py `_settle_refund`), signed like the payment
        callbacks; its amount through the one strict money parser."""
        self._verified(headers, body)
        try:
            data = json.loads(body)
            if data.get("type") != "refund" or not isinstance(data["timestamp"], int):
                raise ValueError
            amount = parse_amount(data["amount"])
            status = str(data["status"])
            if status not in ("SUCCEEDED", "FAILED"):
                raise ValueError
            failure, reference = data.get("failure"), data.get("reference")
            return RefundCallbackEvent(
                refund_id=str(data["refundId"]),
                reference=str(reference) if reference is not None else None,
                order_key=str(data["orderKey"]),
                status=status,
                failure=str(failure) if failure is not None else None,
                amount=amount,
                currency=str(data["currency"]),
                timestamp=data["timestamp"],
            )
        except (ValueError, KeyError, TypeError, AttributeError, MoneyError) as exc:
            raise InvalidCallback("malformed refund callback body", forged=False) from exc


def provider_for(name: str, config: PaymentConfig, account: str | None = None) -> PaymentProvider:
    """The provider `name`; `account`: which of its accounts (Stripe: a tenant's own, None: the deployment's),
    as recorded on the attempt (`Payment.provider_account`)."""
    if name == "stripe":
        from app.services.payments.stripe_provider import StripeProvider  # the SDK is imported when used

        return StripeProvider(config, account)
    if name == "sandbox":
        return SandboxProvider(config)
    if name == "direct":
        return DirectProvider()
    raise ProviderUnavailable(f"no payment provider named {name!r}")
