"""Runtime configuration, read from GATEWAY_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# A fixed development default, so the sandbox flow runs out of the box; refused in production.
DEV_SANDBOX_SECRET = "sandbox-development-secret"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", env_file=".env", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    database_url: str = "sqlite+aiosqlite:///./commerce-gateway.db"
    # SQLite waits this long for the single writer lock before giving up (milliseconds).
    sqlite_busy_timeout_ms: int = 30000
    db_pool_size: int = 20
    # PostgreSQL: a pooled connection idle longer than this is pinged when checked out (a stale one is
    # replaced); fresher ones are used without a round trip (a drop is then handled as in docs/security.md).
    db_ping_idle_seconds: float = 30.0
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
    # The gateway's public base URL, for callback and return URLs given to providers (default: the URL the
    # request came in on).
    public_url: str | None = None

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

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

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


@lru_cache
def get_settings() -> Settings:
    return Settings()
