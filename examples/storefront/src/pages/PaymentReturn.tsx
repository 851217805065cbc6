// Where the sandbox payment page sends the buyer back (`returnUrl`): tells the storefront window (same origin,
// still holding the session in memory) the outcome, then closes when it was opened for the payment.
import { useEffect } from "react";

export const PAYMENTS_CHANNEL = "storefront-payments";
export type PaymentOutcome = { orderKey: string; status: string };

export function PaymentReturn() {
  const params = new URLSearchParams(window.location.search);
  const outcome: PaymentOutcome = { orderKey: params.get("orderKey") ?? "", status: params.get("status") ?? "" };
  useEffect(() => {
    const channel = new BroadcastChannel(PAYMENTS_CHANNEL);
    channel.postMessage(outcome);
    channel.close();
    if (window.opener) setTimeout(() => window.close(), 300);
  });
  return (
    <main className="page">
      <h1>Payment {outcome.status === "APPROVED" ? "approved" : outcome.status.toLowerCase()}</h1>
      <p>
        Order <strong>{outcome.orderKey}</strong>: the storefront window shows it now.
      </p>
    </main>
  );
}
