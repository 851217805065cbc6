// Small presentational pieces shared by the pages: money, loading and error states, typed payload errors.
import type { ReactNode } from "react";
import type { CombinedError } from "urql";

export type Money = { amount: string; currency: string };
export type UserError = {
  code: string;
  message: string;
  field?: string[] | null;
  index?: number | null;
  lineId?: string | null;
  blocking: boolean;
};

/** An exact decimal from the gateway, shown as it came (never through a float). */
export function Price({ money, testId }: { money: Money | null | undefined; testId?: string }) {
  if (!money) return <span>-</span>;
  return (
    <span className="money" data-testid={testId} data-amount={money.amount}>
      {money.amount} {money.currency}
    </span>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="loading">
      Loading {what}…
    </p>
  );
}

export function Failure({ error }: { error: CombinedError | Error | string | undefined | null }) {
  if (!error) return null;
  const text = typeof error === "string" ? error : error.message;
  return (
    <p role="alert" className="failure">
      {text}
    </p>
  );
}

/** The payload's typed errors that name this place (a field, a line, an input index), next to it. */
export function Errors({ errors, testId }: { errors: readonly UserError[]; testId?: string }) {
  if (errors.length === 0) return null;
  return (
    <div role="alert" data-testid={testId}>
      <ul className="errors">
        {errors.map((e, i) => (
          <li key={`${e.code}-${i}`} data-code={e.code}>
            <strong>{e.code}</strong>: {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="card" aria-label={title} data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`badge badge-${status.toLowerCase()}`} data-testid={testId}>
      {status}
    </span>
  );
}

export const newKey = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;
