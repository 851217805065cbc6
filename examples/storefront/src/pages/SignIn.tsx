import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { Session, SignIn } from "../documents";
import { Errors, Failure, Loading } from "../ui";

export function SignInPage({ onSignedIn }: { onSignedIn: (token: string, email: string) => void }) {
  const [email, setEmail] = useState("buyer@acme.example");
  const [password, setPassword] = useState("");
  const [result, signIn] = useMutation(SignIn);
  const errors = result.data?.createToken.errors ?? [];
  const onField = (name: string) => errors.filter((e) => e.field?.includes(name));
  const general = errors.filter((e) => !e.field?.length);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const answer = await signIn({ email, password });
    const token = answer.data?.createToken.token;
    if (token) onSignedIn(token, email);
  }

  return (
    <main className="page narrow">
      <h1>Sign in to Demo Supplies</h1>
      <form onSubmit={submit} className="card">
        <label>
          Email
          <input name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <Errors errors={onField("email")} />
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <Errors errors={onField("password")} />
        <Errors errors={general} testId="signin-errors" />
        <Failure error={result.error} />
        <button type="submit" disabled={result.fetching}>
          {result.fetching ? "Signing in…" : "Sign in"}
        </button>
        <p className="hint">Demo buyers: buyer@acme.example, buyer@globex.example; password demo-password.</p>
      </form>
    </main>
  );
}

/** The buyer's accounts (header `customer-account-id`) and a store (header `dj-store`) for every next call. */
export function ChooseScope({ email, onChosen }: { email: string; onChosen: (accountId: string, store: string, name: string) => void }) {
  const [{ data, fetching, error }] = useQuery({ query: Session });
  const [account, setAccount] = useState("");
  const [store, setStore] = useState("");
  if (fetching) return <Loading what="your accounts" />;
  if (error || !data) return <Failure error={error ?? "no answer"} />;
  const accounts = data.viewer.user?.accounts ?? [];
  const chosenAccount = account || accounts[0]?.id || "";
  const chosenStore = store || data.viewer.store.externalId;
  const name = accounts.find((a) => a.id === chosenAccount)?.name ?? "";
  return (
    <main className="page narrow">
      <h1>Choose an account and a store</h1>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          onChosen(chosenAccount, chosenStore, name);
        }}
      >
        <p>Signed in as {email}.</p>
        <label>
          Account
          <select name="account" value={chosenAccount} onChange={(e) => setAccount(e.target.value)}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.externalId})
              </option>
            ))}
          </select>
        </label>
        <label>
          Store
          <select name="store" value={chosenStore} onChange={(e) => setStore(e.target.value)}>
            <option value="main">Main store (main)</option>
            <option value="outlet">Outlet (outlet)</option>
          </select>
        </label>
        <button type="submit" disabled={!chosenAccount}>
          Continue
        </button>
      </form>
    </main>
  );
}
