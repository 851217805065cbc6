// The storefront's shell: sign-in, then the account and store, then the pages. The token lives in memory only
// (this component's state): never in local storage, never in a cookie.
import { useEffect, useMemo, useState } from "react";
import { Provider } from "urql";
import { makeClient, SENDS_IDS } from "./client";
import { Catalog } from "./pages/Catalog";
import { CartPage } from "./pages/Cart";
import { DraftPage } from "./pages/Draft";
import { DraftsPage } from "./pages/Drafts";
import { OrderPage } from "./pages/Order";
import { OrdersPage } from "./pages/Orders";
import { PAYMENTS_CHANNEL, type PaymentOutcome } from "./pages/PaymentReturn";
import { ChooseScope, SignInPage } from "./pages/SignIn";

export type Route =
  | { page: "catalog" }
  | { page: "drafts" }
  | { page: "draft"; id: string }
  | { page: "cart" }
  | { page: "orders" }
  | { page: "order"; id: string };

export type Nav = (route: Route) => void;
export type PendingPayment = { orderKey: string; nextStep: string };

type Session = { token: string; email: string; accountId?: string; store?: string; accountName?: string };

const PAGES: { page: Route["page"]; label: string }[] = [
  { page: "catalog", label: "Catalog" },
  { page: "drafts", label: "Draft orders" },
  { page: "cart", label: "Cart" },
  { page: "orders", label: "Order history" },
];

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [route, setRoute] = useState<Route>({ page: "catalog" });
  const [workingDraft, setWorkingDraft] = useState<string | null>(null);
  const [payments, setPayments] = useState<Record<string, PendingPayment>>({});
  const [outcome, setOutcome] = useState<PaymentOutcome | null>(null);

  const anonymous = useMemo(() => makeClient({}), []);
  const signedIn = useMemo(() => (session ? makeClient({ token: session.token }) : null), [session?.token]);
  const scoped = useMemo(
    () =>
      session?.accountId && session.store
        ? makeClient({ token: session.token, accountId: session.accountId, store: session.store })
        : null,
    [session?.token, session?.accountId, session?.store],
  );

  // The payment window reports back: show that order, fetched anew (the provider's callback changed it).
  useEffect(() => {
    const channel = new BroadcastChannel(PAYMENTS_CHANNEL);
    channel.onmessage = (event: MessageEvent<PaymentOutcome>) => {
      setOutcome(event.data);
      setRoute({ page: "order", id: event.data.orderKey });
    };
    return () => channel.close();
  }, []);

  if (!session) {
    return (
      <Provider value={anonymous}>
        <SignInPage onSignedIn={(token, email) => setSession({ token, email })} />
      </Provider>
    );
  }
  if (!scoped || !signedIn) {
    return (
      <Provider value={signedIn ?? anonymous}>
        <ChooseScope
          email={session.email}
          onChosen={(accountId, store, accountName) => setSession({ ...session, accountId, store, accountName })}
        />
      </Provider>
    );
  }

  const nav: Nav = (next) => {
    if (next.page === "draft") setWorkingDraft(next.id);
    setRoute(next);
  };
  const addPayment = (p: PendingPayment) => setPayments((all) => ({ ...all, [p.orderKey]: p }));

  return (
    <Provider value={scoped}>
      <header className="top">
        <p className="brand">Demo Supplies</p>
        <nav aria-label="Storefront">
          <ul>
            {PAGES.map(({ page, label }) => (
              <li key={page}>
                <button
                  type="button"
                  className="link"
                  aria-current={route.page === page ? "page" : undefined}
                  onClick={() => nav({ page } as Route)}
                >
                  {label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <p className="who" data-testid="who">
          {session.email} · {session.accountName} · store {session.store}
          {SENDS_IDS ? " · trusted documents" : ""}
          <button type="button" className="link" onClick={() => setSession({ token: session.token, email: session.email })}>
            Change account or store
          </button>
          <button type="button" className="link" onClick={() => setSession(null)}>
            Sign out
          </button>
        </p>
      </header>
      <main className="page">
        {route.page === "catalog" && <Catalog nav={nav} workingDraft={workingDraft} setWorkingDraft={setWorkingDraft} />}
        {route.page === "drafts" && <DraftsPage nav={nav} />}
        {route.page === "draft" && <DraftPage id={route.id} nav={nav} />}
        {route.page === "cart" && <CartPage nav={nav} addPayment={addPayment} />}
        {route.page === "orders" && <OrdersPage nav={nav} />}
        {route.page === "order" && (
          <OrderPage
            key={`${route.id}-${outcome?.orderKey === route.id ? outcome.status : ""}`}
            id={route.id}
            outcome={outcome?.orderKey === route.id ? outcome : null}
            pending={payments[route.id] ?? null}
            addPayment={addPayment}
            nav={nav}
          />
        )}
      </main>
    </Provider>
  );
}
