"""Stripe behind the provider interface, through Stripe's official SDK (`stripe`, its async client): one
PaymentIntent per payment attempt, confirmed by the buyer's Stripe.js with the intent's client secret.

- `start`: a PaymentIntent for the attempt's amount (minor units) and currency, `metadata` naming the payment
  id and the order key, `capture_method=manual` for a MANUAL method; Stripe idempotency key `attempt-<id>`.
- `capture` (part or all of what is held), `void` (cancel the intent: what is held is released) and `refund`
  (a Refund of the intent): the gateway's ledger entry id is the idempotency key, a refund's metadata names it.
- Webhooks (`POST /payments/stripe/webhook`, app/http/stripe_webhook.py): `Stripe-Signature` checked with the
  SDK (`Webhook.construct_event`), the event read into what the gateway applies (`read_event`).

Stripe's answers map onto the gateway's: an unreachable Stripe, a rate limit, an authentication error or a
5xx is `ProviderUnavailable` (nothing written); a request Stripe refuses (a card error, an invalid request
such as capturing a canceled intent) is a FAILED entry with Stripe's message. See docs/payments.md, "Stripe".
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import stripe

from app.services.payments.config import PaymentConfig
from app.services.payments.providers import (
    CallbackEvent,
    InvalidCallback,
    MoneyAnswer,
    MoneyRequest,
    ProviderUnavailable,
    RefundCallbackEvent,
    Started,
    StartRequest,
)

NAME = "stripe"
SIGNATURE_HEADER = "stripe-signature"

# PaymentIntent statuses (https://docs.stripe.com/payments/paymentintents/lifecycle)
HELD = "requires_capture"  # authorized (a MANUAL method): captured later
SUCCEEDED = "succeeded"  # taken (captured)
CANCELED = "canceled"
# the buyer has not (successfully) paid yet: confirm again, authenticate, or a payment method still processing
OPEN = ("requires_payment_method", "requires_confirmation", "requires_action", "processing")

# Refund statuses
_REFUND_STATUS = {"succeeded": "SUCCEEDED", "pending": "PENDING", "requires_action": "PENDING"}


def _unavailable(exc: stripe.StripeError) -> bool:
    """Errors that say nothing about the request itself: try again later, nothing was done."""
    return (
        isinstance(
            exc,
            stripe.APIConnectionError
            | stripe.APIError
            | stripe.RateLimitError
            | stripe.AuthenticationError
            | stripe.PermissionError
            | stripe.IdempotencyError,
        )
        or (exc.http_status or 0) >= 500
    )


@dataclass(frozen=True)
class StripeEvent:
    """A verified Stripe event, as the gateway applies it (app/services/payments/stripe_events.py)."""

    id: str  # evt_...: each event applies at most once
    type: str
    intent: str | None = None  # the PaymentIntent it is about
    payment: CallbackEvent | None = None  # APPROVED or REFUSED for the attempt in the intent's metadata
    canceled: bool = False  # payment_intent.canceled: the intent can no longer be paid
    refunds: tuple[RefundCallbackEvent, ...] = field(default_factory=tuple)  # final refund outcomes


class StripeProvider:
    name = NAME

    def __init__(self, config: PaymentConfig, account: str | None = None) -> None:
        """`account`: the Stripe account every call goes to, a tenant's own (its settings' name, as recorded on
        the payment) or None for the deployment-wide one."""
        self.config = config
        self.account = account

    # --- the SDK client --------------------------------------------------------------------------------------

    async def _call(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        """One call of the SDK's async client (`v1.<service>.<method>_async`), on a client of this call."""
        keys = self.config.stripe_keys(self.account)
        if keys is None or not keys.secret_key:
            variable = "GATEWAY_STRIPE_SECRET_KEY" + (f"__{self.account}" if self.account else "")
            raise ProviderUnavailable(f"Stripe is not configured ({variable})")
        http = stripe.HTTPXClient(timeout=self.config.provider_timeout)
        client = stripe.StripeClient(
            keys.secret_key,
            base_addresses={"api": keys.api_base} if keys.api_base else None,
            http_client=http,
            max_network_retries=1,  # safe: every write carries an idempotency key
        )
        service_name, method = operation.split(".")
        try:
            return await getattr(getattr(client.v1, service_name), f"{method}_async")(*args, **kwargs)
        except stripe.StripeError as exc:
            if _unavailable(exc):
                raise ProviderUnavailable(f"Stripe answered {type(exc).__name__} (HTTP {exc.http_status})") from exc
            raise
        finally:
            await http.close_async()

    # --- the provider interface ------------------------------------------------------------------------------

    async def start(self, request: StartRequest) -> Started:
        params = {
            "amount": request.amount,
            "currency": request.currency.lower(),
            "metadata": {"payment_id": request.payment_id, "order_key": request.order_key},
            "capture_method": "manual" if request.capture_mode == "MANUAL" else "automatic",
        }
        try:
            intent = await self._call(
                "payment_intents.create", params, {"idempotency_key": f"attempt-{request.payment_id}"}
            )
        except stripe.StripeError as exc:  # Stripe refused to create it: nothing can be paid
            raise ProviderUnavailable(f"Stripe refused the payment: {exc.user_message or type(exc).__name__}") from exc
        return Started(next_step=None, reference=str(intent.id), client_secret=str(intent.client_secret))

    async def retrieve(self, reference: str) -> Any:
        """The PaymentIntent as Stripe has it now (the reconciliation of an attempt whose webhook is late)."""
        return await self._call("payment_intents.retrieve", reference)

    async def capture(self, request: MoneyRequest) -> MoneyAnswer:
        """Capture `amount` of the held intent. Stripe captures an intent once: what a partial capture leaves is
        released by Stripe at that capture (a later capture FAILS; a later void finds nothing held)."""
        try:
            intent = await self._call(
                "payment_intents.capture",
                self._reference(request),
                {"amount_to_capture": request.amount},
                {"idempotency_key": f"capture-{request.transaction_id}"},
            )
        except stripe.StripeError as exc:
            return MoneyAnswer("FAILED", None, failure_of(exc))
        if intent.status == SUCCEEDED:
            return MoneyAnswer("SUCCEEDED", str(intent.id))
        if intent.status == "processing":
            return MoneyAnswer("PENDING", str(intent.id))
        return MoneyAnswer("FAILED", str(intent.id), f"the PaymentIntent is {intent.status}")

    async def void(self, request: MoneyRequest) -> MoneyAnswer:
        """Cancel the intent: what it holds is released. An intent already captured (a partial capture released
        the rest) or already canceled holds nothing more: SUCCEEDED."""
        reference = self._reference(request)
        intent = await self._call("payment_intents.retrieve", reference)
        if intent.status in (SUCCEEDED, CANCELED):
            return MoneyAnswer("SUCCEEDED", str(intent.id))
        try:
            intent = await self._call(
                "payment_intents.cancel",
                reference,
                None,
                {"idempotency_key": f"void-{request.transaction_id}"},
            )
        except stripe.StripeError as exc:
            return MoneyAnswer("FAILED", None, failure_of(exc))
        return MoneyAnswer("SUCCEEDED" if intent.status == CANCELED else "FAILED", str(intent.id))

    async def refund(self, request: MoneyRequest) -> MoneyAnswer:
        """A Refund of the intent; its metadata names the gateway's refund (the ledger entry), so the refund
        webhooks find it. Stripe answers succeeded (SUCCEEDED), pending (PENDING: settled by a webhook) or
        failed."""
        params = {
            "payment_intent": self._reference(request),
            "amount": request.amount,
            "metadata": {"refund_id": request.transaction_id, "order_key": request.order_key},
        }
        try:
            refund = await self._call("refunds.create", params, {"idempotency_key": f"refund-{request.transaction_id}"})
        except stripe.StripeError as exc:
            return MoneyAnswer("FAILED", None, failure_of(exc))
        status = _REFUND_STATUS.get(str(refund.status), "FAILED")
        failure = None if status != "FAILED" else str(getattr(refund, "failure_reason", None) or refund.status)
        return MoneyAnswer(status, str(refund.id), failure)

    async def cancel_open(self, reference: str) -> Any:
        """Cancel an intent nobody has paid, so that no later confirmation can take money; the intent as it is
        afterwards (it may have been paid in the meantime: then Stripe refuses the cancel)."""
        try:
            return await self._call(
                "payment_intents.cancel", reference, None, {"idempotency_key": f"cancel-{reference}"}
            )
        except stripe.StripeError:
            return await self.retrieve(reference)

    async def give_back(self, reference: str) -> str:
        """Money of an attempt that already ended (paid after it expired or was canceled): a hold is released, a
        payment refunded in full. What was done, in a word."""
        intent = await self.retrieve(reference)
        if intent.status in OPEN or intent.status == HELD:
            return str((await self.cancel_open(reference)).status)
        if intent.status == SUCCEEDED:
            # given back once: the webhook's safety net and the release of the attempt's end may both come here
            # (at the same moment the idempotency key makes them one refund; later, the refund already made)
            listed = await self._call("refunds.list", {"payment_intent": reference, "limit": 100})
            if any(r.metadata and "gave_back" in r.metadata and r.status != "failed" for r in listed.data):
                return "refunded already"
            params = {"payment_intent": reference, "metadata": {"gave_back": "the attempt had ended"}}
            await self._call("refunds.create", params, {"idempotency_key": f"give-back-{reference}"})
            return "refunded"
        return str(intent.status)

    def parse_callback(self, headers: Mapping[str, str], body: bytes) -> CallbackEvent:
        raise InvalidCallback("Stripe answers through its webhook (/payments/stripe/webhook)", forged=True)

    def parse_refund_callback(self, headers: Mapping[str, str], body: bytes) -> RefundCallbackEvent:
        raise InvalidCallback("Stripe answers through its webhook (/payments/stripe/webhook)", forged=True)

    @staticmethod
    def _reference(request: MoneyRequest) -> str:
        if not request.payment_reference:
            raise ProviderUnavailable("the attempt has no PaymentIntent")
        return request.payment_reference


def failure_of(exc: stripe.StripeError) -> str:
    return str(exc.user_message or getattr(exc, "code", None) or type(exc).__name__)[:500]


# --- webhooks ------------------------------------------------------------------------------------------------


def verify(body: bytes, signature: str | None, secret: str, tolerance: int) -> dict:
    """The event (its JSON), once `Stripe-Signature` is Stripe's over this body with the endpoint's secret and its
    timestamp is within `tolerance` seconds; InvalidCallback otherwise (forged: a bad or missing signature)."""
    try:
        stripe.Webhook.construct_event(body.decode("utf-8"), signature, secret, tolerance=tolerance)
        event = json.loads(body)
        if not isinstance(event, dict):
            raise ValueError("not an event")
        return event
    except stripe.SignatureVerificationError as exc:
        raise InvalidCallback("bad or missing Stripe-Signature", forged=True) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidCallback("malformed webhook body", forged=False) from exc


_PAYMENT_EVENTS = {
    "payment_intent.succeeded": "APPROVED",
    "payment_intent.amount_capturable_updated": "APPROVED",
    "payment_intent.payment_failed": "REFUSED",
}
_REFUND_EVENTS = ("refund.created", "refund.updated", "refund.failed", "charge.refund.updated")


def read_event(event: dict) -> StripeEvent:
    """What a verified event says to the gateway; events it does not use read as nothing (recorded, no effect).
    The timestamp is the verification's (a redelivery days later is signed anew, within the tolerance)."""
    try:
        obj = event["data"]["object"]
        kind, event_id = str(event["type"]), str(event["id"])
        now = int(time.time())
        if kind.startswith("payment_intent."):
            metadata = obj.get("metadata") or {}
            base = StripeEvent(event_id, kind, intent=str(obj["id"]))
            if kind == "payment_intent.canceled":
                return StripeEvent(event_id, kind, intent=base.intent, canceled=True)
            if kind not in _PAYMENT_EVENTS or "payment_id" not in metadata:
                return base
            payment = CallbackEvent(
                payment_id=str(metadata["payment_id"]),
                order_key=str(metadata.get("order_key", "")),
                status=_PAYMENT_EVENTS[kind],
                amount=int(obj["amount"]),
                currency=str(obj["currency"]).upper(),
                timestamp=now,
            )
            return StripeEvent(event_id, kind, intent=base.intent, payment=payment)
        refunds: list[Any] = []
        if kind in _REFUND_EVENTS:
            refunds = [obj]
        elif kind == "charge.refunded":
            listed = obj.get("refunds")
            refunds = list(listed.get("data") or []) if listed else []  # not expanded: the refund.* events tell
        settled = []
        for refund in refunds:
            metadata = refund.get("metadata") or {}
            status = {"succeeded": "SUCCEEDED", "failed": "FAILED", "canceled": "FAILED"}.get(str(refund["status"]))
            if status is None or "refund_id" not in metadata:
                continue  # still pending, or not a refund the gateway asked for (a partial capture's release)
            settled.append(
                RefundCallbackEvent(
                    refund_id=str(metadata["refund_id"]),
                    reference=str(refund["id"]),
                    order_key=str(metadata.get("order_key", "")),
                    status=status,
                    failure=str(refund.get("failure_reason")) if status == "FAILED" else None,
                    amount=int(refund["amount"]),
                    currency=str(refund["currency"]).upper(),
                    timestamp=now,
                )
            )
        return StripeEvent(event_id, kind, refunds=tuple(settled))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidCallback("malformed Stripe event", forged=False) from exc
