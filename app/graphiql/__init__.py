"""GraphiQL served entirely by the gateway (no CDN): the page, and its vendored assets at /graphiql/assets.

In development the Headers tab starts with the demo API key and client type, and the editor with the
order-first checkout as runnable operations. Assets and their licences: VENDORED.md beside this file.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from app.settings import Settings

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
ASSETS_PATH = "/graphiql/assets"

DEMO_HEADERS = {"dj-api-key": "demo-tenant-key", "dj-client": "ACCOUNT"}

DEMO_OPERATIONS = """\
# The order-first checkout against the demo data, one operation at a time: run one with the play button
# and pick it by name. The Headers tab already holds the demo API key and client type.
#
# 1. SignIn, then add "Authorization": "Bearer <token>" to the Headers tab (kept in memory only).
# 2. Catalog: copy the id of an available offer into the Variables tab as offerId, and a quantity it
#    accepts as quantity (at least minQuantity, at most maxQuantity and stock, a multiple of packSize;
#    the 10 already there suits the first offer).
# 3. CreateDraft: the server prices and validates the draft; `issues` say what blocks placement.
#    Copy its id into the Variables tab as draftId.
# 4. PlaceDraft: the draft becomes an order, split into one logistic order per supplier.
# 5. MyOrders: drafts and placed orders of the account.

query Viewer {
  viewer { clientType user { email } account { name } store { externalId } currency }
}

mutation SignIn {
  createToken(email: "buyer@acme.example", password: "demo-password") {
    token expiresAt errors { code message }
  }
}

query Catalog {
  products(first: 5) {
    edges { node { name variants { sku offers {
      id price { amount currency } available stock minQuantity maxQuantity packSize
    } } } }
  }
}

mutation CreateDraft($offerId: ID!, $quantity: Int!) {
  createDraftOrder(input: {
    lines: [{ offerId: $offerId, quantity: $quantity }]
    shippingAddressId: "ACME-HQ"
    billingAddressId: "ACME-HQ"
  }) {
    draftOrder { id version status total { amount currency } issues { code message blocking } }
    errors { code message field index }
    warnings { code message }
  }
}

mutation PlaceDraft($draftId: ID!) {
  placeDraftOrder(id: $draftId) {
    order { id reference status total { amount currency } logisticOrders { reference status } }
    nextStep
    errors { code message }
  }
}

query MyOrders {
  orders(first: 10) { edges { node { id reference status placedAt total { amount currency } } } }
}
"""
DEMO_VARIABLES = '{\n  "offerId": "",\n  "quantity": 10,\n  "draftId": ""\n}'


def page_config(settings: Settings, root_path: str = "") -> dict[str, str | None]:
    demo = settings.env == "development"
    return {
        "endpoint": f"{root_path}/graphql",
        "headers": json.dumps(DEMO_HEADERS, indent=2) if demo else None,
        "query": DEMO_OPERATIONS if demo else "{\n  viewer { clientType store { externalId } }\n}\n",
        "variables": DEMO_VARIABLES if demo else None,
    }


@cache
def _template() -> str:
    return (HERE / "page.html").read_text(encoding="utf-8")


def render_page(settings: Settings, root_path: str = "") -> str:
    # JSON inside a <script> element: "<" escaped so no value can close the element.
    config = json.dumps(page_config(settings, root_path)).replace("<", "\\u003c")
    return _template().replace("{assets}", root_path + ASSETS_PATH).replace("{config}", config)


class GraphiQLPage:
    """Mixin for the GraphQL view: its IDE page is ours (the view decides when to show it)."""

    settings: Settings

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(render_page(self.settings, request.scope.get("root_path", "")))


def graphiql_routes(settings: Settings) -> list[BaseRoute]:
    if not settings.graphiql_enabled:
        return []
    return [Mount(ASSETS_PATH, app=StaticFiles(directory=STATIC), name="graphiql-assets")]
