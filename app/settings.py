"""Runtime configuration, read from GATEWAY_* environment variables."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.services.payments.config import stripe_account_name

# A fixed development default, so the sandbox flow runs out of the box; refused in production.
DEV_SANDBOX_SECRET = "sandbox-development-secret"


# The per-tenant Stripe settings: GATEWAY_STRIPE_<KEY>__<TENANT> (environment, .env, or a file of that name in
# GATEWAY_SECRETS_DIR), <TENANT> the tenant's external id in upper case, each character other than A-Z and 0-9
# an underscore (`other-tenant` -> OTHER_TENANT).
STRIPE_TENANT_KEYS = ("secret_key", "publishable_key", "webhook_secret", "api_base")


class StripeAccountSettings(BaseModel):
    """One tenant's own Stripe account (docs/payments.md, "Stripe"): the same three keys as the deployment-wide
    account, and optionally another API base (a test double)."""

    secret_key: SecretStr | None = None
    publishable_key: str | None = None
    webhook_secret: SecretStr | None = None
    api_base: str | None = None

    @property
    def own(self) -> bool:
        """Whether the tenant names an account of its own (any of its keys set); else the deployment-wide one."""
        return any(_filled(v) for v in (self.secret_key, self.publishable_key, self.webhook_secret))


def _filled(value: object) -> bool:
    return value is not None and bool(str(_plain(value)).strip())


def _tenant_stripe_sources(secrets_dir: str | None, env_file: str | None) -> dict[str, dict[str, str]]:
    """GATEWAY_STRIPE_<KEY>__<TENANT> from the secrets files, the .env file and the environment (each one
    winning over the one before, as for every other setting), by tenant suffix."""
    named: list[tuple[str, str]] = []
    if secrets_dir and Path(secrets_dir).is_dir():
        for path in sorted(Path(secrets_dir).iterdir()):
            if path.is_file() and "__" in path.name:
                named.append((path.name, path.read_text().strip()))
    if env_file and Path(env_file).is_file():
        from dotenv import dotenv_values

        named += [(k, v) for k, v in dotenv_values(env_file).items() if v is not None]
    named += list(os.environ.items())
    found: dict[str, dict[str, str]] = {}
    for name, value in named:
        upper = name.upper()
        for key in STRIPE_TENANT_KEYS:
            prefix = f"GATEWAY_STRIPE_{key.upper()}__"
            if upper.startswith(prefix) and len(upper) > len(prefix):
                found.setdefault(stripe_account_name(upper[len(prefix) :]), {})[key] = value
    return found


class Settings(BaseSettings):
    # Secrets may also be files in GATEWAY_SECRETS_DIR, one per setting, named after its variable (Docker and
    # Kubernetes secrets: /run/secrets/gateway_stripe_secret_key); the environment wins over a file.
    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_",
        env_file=".env",
        extra="ignore",
        secrets_dir=os.environ.get("GATEWAY_SECRETS_DIR") or None,
    )

    env: Literal["development", "production", "test"] = "development"
    database_url: str = "sqlite+aiosqlite:///./commerce-gateway.db"
    # SQLite waits this long for the single writer lock before giving up (milliseconds).
    sqlite_busy_timeout_ms: int = 30000
    db_pool_size: int = 20
    # PostgreSQL: a pooled connection idle longer than this is pinged when checked out (a stale one is
    # replaced); fresher ones are used without a round trip (a drop is then handled as in docs/security.md).
    db_ping_idle_seconds: float = 30.0
    # PostgreSQL: how long making one new connection may take (all hosts of a multi-host URL together).
    db_connect_timeout_seconds: float = 10.0
    # PostgreSQL read replicas (streaming standbys), comma-separated URLs; unset: none, every read on the primary.
    # Query operations read from a replica, mutations from the primary (app/db_replicas.py, docs/deployment.md).
    database_replica_urls: str | None = None
    # A replica whose replay is further behind than this, or that is down, is skipped (reads go to the primary).
    replica_max_lag_seconds: float = 10.0
    # How often each process checks its replicas' state and lag (and how stale that check may get).
    replica_check_seconds: float = 1.0
    # Read-your-writes: after a caller's mutation, this process sends that caller's reads to the primary until a
    # replica has replayed the mutation's commit, for at most this long (other processes: the
    # Gateway-Wal-Position header the client echoes, docs/deployment.md).
    read_your_writes_seconds: float = 60.0
    # A transaction-mode pooler between the gateway and PostgreSQL: `pgbouncer` turns off what needs one server
    # session across transactions (asyncpg's prepared statements, by name and cached; LISTEN). docs/operations.md
    db_pooler: Literal["none", "pgbouncer"] = "none"
    # PostgreSQL LISTEN/NOTIFY: the webhook dispatcher and the payment sweep wake on a commit that gave them
    # work (app/listener.py). One extra connection per process, to this URL when set (the server
    # itself, when GATEWAY_DATABASE_URL names a transaction-mode pooler), else to GATEWAY_DATABASE_URL (not
    # behind GATEWAY_DB_POOLER=pgbouncer: there, without a listen URL, they poll).
    listen: bool = True
    database_listen_url: str | None = None
    # While listening, the dispatcher and the sweep also look this often (a fallback; deadlines they know of,
    # a webhook retry or a payment's expiry, wake them on time). Not listening: the two periods below.
    listen_poll_seconds: float = 30.0
    token_ttl_seconds: int = 24 * 3600
    graphiql: bool | None = None  # default: on outside production
    introspection: bool | None = None  # default: on outside production
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    max_query_cost: int = 50000
    max_fields: int = 2000  # field nodes after fragment expansion
    max_request_seconds: float = 30.0  # wall-clock bound on one GraphQL request (503 TIMEOUT past it)
    login_free_failures: int = 3  # failed sign-ins per email before the backoff starts
    login_free_failures_per_address: int = 20  # per client address (offices share one behind NAT)
    login_max_backoff_seconds: int = 900
    max_page_size: int = 100
    # The execution fast path for plain fields (app/schema/execution.py); off: strawberry's standard execution.
    fast_execution: bool = True
    max_body_bytes: int = 1_000_000
    # Browser origins allowed by CORS, comma-separated (`*`: any); unset: none in production, any local
    # origin elsewhere (app/http/cors.py).
    cors_origins: str | None = None
    # Request headers a browser may send cross-origin besides those the gateway reads itself (its own headers,
    # always allowed): comma-separated, `*` for any. Unset: the tracing and client headers of app/http/cors.py.
    cors_allow_headers: str | None = None
    # Answers at least this large are gzip-compressed for clients that accept it.
    gzip_min_bytes: int = 1000
    default_page_size: int = 20
    log_level: str = "info"
    # auto: JSON lines outside development, coloured console lines in development
    log_format: Literal["auto", "json", "console"] = "auto"
    metrics: bool | None = None  # /metrics; default: on outside production, in production only with a token
    metrics_token: str | None = None  # when set, /metrics wants `Authorization: Bearer <token>`
    trusted_documents: str | None = None  # path of a manifest: only its documents run
    # Without a manifest: automatic persisted queries remembered per tenant and per process (LRU); 0: none.
    apq_cache_size: int = 500
    webhook_dispatch: bool = True  # run the webhook dispatcher inside `serve`
    webhook_timeout_seconds: float = 10.0
    webhook_max_attempts: int = 10  # then the delivery is DEAD (dead letter)
    webhook_retry_base_seconds: float = 30.0  # retry n waits base * 2**(n-1), capped
    webhook_retry_max_seconds: float = 6 * 3600
    webhook_lease_seconds: float = 60.0  # a claimed delivery is retried by others after this
    webhook_poll_seconds: float = 2.0
    # Payments. The sandbox payment service: its base URL (default: this gateway, which serves it), the secret
    # its callbacks are signed with (required in production), how long a started payment may stay pending.
    sandbox_psp_url: str | None = None
    sandbox_payment_secret: str = DEV_SANDBOX_SECRET
    # The sandbox payment service's own routes (/payments/sandbox/...): default on outside production, off in
    # production. It approves payments without moving money, so turning it on in production is refused at
    # start unless GATEWAY_SANDBOX_PSP_FORCE says so (a staging deployment with production settings).
    sandbox_psp: bool | None = None
    sandbox_psp_force: bool = False
    # Origins whose callback URLs the sandbox accepts besides this gateway's own public URL (comma-separated:
    # other gateways that use this one's sandbox through their GATEWAY_SANDBOX_PSP_URL).
    sandbox_callback_origins: str = ""
    payment_timeout_seconds: int = 900
    psp_timeout_seconds: float = 5.0
    payment_sweep_seconds: float = 30.0
    # The sandbox settles a refund this long after it is asked for, with a signed callback (as real providers
    # do: a refund is asynchronous).
    sandbox_refund_delay_seconds: float = 1.0
    # An authorization not captured within this time is voided by the sweep (a card hold lasts about 7 days).
    authorization_lifetime_seconds: int = 7 * 24 * 3600
    # Stripe (docs/payments.md, "Stripe"): the account's secret key (sk_...), the publishable key the storefront's
    # Stripe.js uses (pk_..., answered in ClientSecretPayment), and the signing secret of the webhook endpoint
    # (whsec_...). Secrets are SecretStr: never in a repr, a log line or a response. `serve` refuses to start
    # when an active payment method names the provider `stripe` and these are missing.
    stripe_secret_key: SecretStr | None = None
    stripe_publishable_key: str | None = None
    stripe_webhook_secret: SecretStr | None = None
    # Another Stripe API base URL (a test double such as localstripe); default: Stripe's own.
    stripe_api_base: str | None = None
    # A tenant's own Stripe account, by tenant (stripe_account_name of its external id): read from
    # GATEWAY_STRIPE_SECRET_KEY__<TENANT>, GATEWAY_STRIPE_PUBLISHABLE_KEY__<TENANT>,
    # GATEWAY_STRIPE_WEBHOOK_SECRET__<TENANT> (and GATEWAY_STRIPE_API_BASE__<TENANT>), or files of those names in
    # GATEWAY_SECRETS_DIR. A tenant without its own keys uses the deployment-wide account above.
    stripe_tenants: dict[str, StripeAccountSettings] = {}
    # How old a webhook's signature timestamp may be (seconds): Stripe's SDK default, against replays.
    stripe_webhook_tolerance_seconds: int = 300
    # The gateway's public base URL, for callback and return URLs given to providers (default: the URL the
    # request came in on).
    public_url: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _tenant_stripe_accounts(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        env_file = cls.model_config.get("env_file")
        found = _tenant_stripe_sources(
            cls.model_config.get("secrets_dir"), env_file if isinstance(env_file, str) else None
        )
        given = data.get("stripe_tenants") or {}
        if isinstance(given, dict):  # given explicitly (a test): over what the environment says
            for name, keys in given.items():
                found.setdefault(stripe_account_name(name), {}).update(dict(keys))
        return {**data, "stripe_tenants": found}

    def stripe_account(self, tenant_external_id: str) -> StripeAccountSettings | None:
        """The tenant's own Stripe account, None when it uses the deployment-wide one."""
        account = self.stripe_tenants.get(stripe_account_name(tenant_external_id))
        return account if account is not None and account.own else None

    @property
    def sandbox_enabled(self) -> bool:
        return self.sandbox_psp if self.sandbox_psp is not None else self.env != "production"

    @model_validator(mode="after")
    def _no_sandbox_in_production(self) -> Settings:
        if self.env == "production" and self.sandbox_psp and not self.sandbox_psp_force:
            raise ValueError(
                "GATEWAY_SANDBOX_PSP is on in production: the sandbox approves payments without money; "
                "set GATEWAY_SANDBOX_PSP_FORCE=true to run it anyway"
            )
        return self

    @property
    def sandbox_usable(self) -> bool:
        """In production the sandbox provider works only with a secret of the deployment's own: with the
        development default, starting a sandbox payment is refused and its callbacks are not trusted."""
        return self.env != "production" or self.sandbox_payment_secret != DEV_SANDBOX_SECRET

    def stripe_missing(self, tenant_external_id: str | None = None) -> list[str]:
        """The Stripe settings a tenant with a Stripe payment method lacks (their variable names): those of its
        own account when it names one, else the deployment-wide ones (also with no tenant given)."""
        own = self.stripe_account(tenant_external_id) if tenant_external_id is not None else None
        if own is not None:
            suffix = f"__{stripe_account_name(tenant_external_id or '')}"
            keys: tuple[object, object, object] = (own.secret_key, own.publishable_key, own.webhook_secret)
        else:
            suffix = ""
            keys = (self.stripe_secret_key, self.stripe_publishable_key, self.stripe_webhook_secret)
        names = ("GATEWAY_STRIPE_SECRET_KEY", "GATEWAY_STRIPE_PUBLISHABLE_KEY", "GATEWAY_STRIPE_WEBHOOK_SECRET")
        return [f"{name}{suffix}" for name, value in zip(names, keys, strict=True) if not _filled(value)]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def replica_urls(self) -> list[str]:
        """GATEWAY_DATABASE_REPLICA_URLS as a list (empty: no replicas; ignored on SQLite)."""
        if self.is_sqlite or not self.database_replica_urls:
            return []
        return [u.strip() for u in self.database_replica_urls.split(",") if u.strip()]

    @property
    def introspection_enabled(self) -> bool:
        return self.introspection if self.introspection is not None else self.env != "production"

    @property
    def metrics_enabled(self) -> bool:
        if self.metrics is not None:
            return self.metrics
        return self.env != "production" or self.metrics_token is not None

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else self.env != "production"


def _plain(value: object) -> object:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


@lru_cache
def get_settings() -> Settings:
    return Settings()
