"""Every GraphQL example of README.md and docs/*.md, and GraphiQL's example operations, runs against the demo
gateway (the real app over HTTP, demo data, SQLite and PostgreSQL) and must answer what the docs show.

What is run:

- every ```graphql block of README.md and docs/*.md; its variables are the ```json block right after it,
  when there is one. A block holding several operations runs each of them (they must be named);
- every `curl ... /graphql` command of README.md's ```bash blocks, with its headers and body as written
  (`$TOKEN` is the token of the last `createToken` answer of the same file);
- every ```bash block of README.md and docs/*.md marked with an example comment (below), run by bash against
  the live gateway (`http://127.0.0.1:8000` is replaced by its address); it must exit 0 and print no `error`
  (with `expect=WORD`: print WORD). The other bash blocks are install and deployment commands, not examples;
- GraphiQL's editor operations (app/graphiql), in the order its comments tell a user, with its variables.

A block fails on any error it does not show on purpose: a top-level `errors` entry (its `extensions.code`) or a
non-empty payload `errors` list anywhere in `data`. A block that cannot run (a fragment, SDL, a placeholder
nothing fills) fails too, so a new example must either run or say why not.

The convention: an HTML comment on the line(s) just before the block (blank lines allowed), invisible on
GitHub, with space-separated settings:

    <!-- example: as=operator@demo.example needs=order expect=INVALID_STATUS_TRANSITION -->

- `as=EMAIL`: the demo user the block runs as (password `demo-password`); `as=anonymous`: no token. Default
  `buyer@acme.example`, as the docs say of their examples.
- `client=ACCOUNT|OPERATOR`: the `dj-client` header; default `OPERATOR` for `operator@demo.example`, else
  `ACCOUNT`.
- `needs=a,b`: state to create first; each fills the placeholders named below, in the variables and in the
  document (a placeholder that is a whole JSON string takes the value's type, e.g. an integer version):
  - `draft`: a draft of PAPER-A4 x50 with the address ACME-HQ, created by the block's user with
    `createDraftOrder`: `<draft id>`, `<draft version>`;
  - `cart`: the block's user's cart with PAPER-A4 x50: `<cart id>`, `<cart version>`;
  - `order`: an order placed by buyer@acme.example (`placeDraftOrder`, no payment method): `<order id>`,
    `<order reference>`, `<logistic order id>`, `<logistic order reference>`, `<order line id>` (its one line,
    PAPER-A4 x50);
  - `pending-payment`: the cart of buyer@acme.example checked out with `card-redirect` (waiting on the
    payment page): `<order key>` (its reference), `<pending order id>`, `<payment id>`, `<amount>` (its
    total, e.g. `257.00`);
  - `requisition-list`: a requisition list of buyer@acme.example, shared with ACME, "Office weekly" with
    PAPER-A4 x50 and NOTEBOOK x10: `<requisition list id>`;
  - `paid-order`: the cart of buyer@acme.example checked out with `bank-wire` and its total received
    (recordPayment by operator@demo.example): `<paid order id>`, `<paid order reference>`, `<paid order line
    id>` (its PAPER-A4 x50 line), `<paid logistic order id>` (its one logistic order), `<paid amount>` (its
    total);
  - `approval`: a draft of buyer2@acme.example (a BUYER) of CHAIR-ERGO x5 with the address ACME-HQ, waiting for
    an approval (requestApproval, comment "new office"): `<waiting draft id>`.
  Always filled, without `needs`: `<offer id of SKU>` and `<variant id of SKU>` (e.g. `<offer id of PAPER-A4>`).
- `expect=CODE[,CODE]`: the block shows these error codes on purpose; it fails unless it answers exactly them.
- `skip (reason)`: not run (a fragment, SDL, a shape rather than an operation); the reason is required.
"""

from __future__ import annotations

import asyncio
import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import PIPE
from typing import Any

import pytest
from graphql import GraphQLSyntaxError, OperationDefinitionNode, parse

from app.graphiql import DEMO_HEADERS, DEMO_OPERATIONS, DEMO_VARIABLES
from tests.support.documents import ADD, CREATE, PLACE
from tests.support.gateway import API_KEY, PASSWORD, SECRETS, TOKENS_ISSUED, Gateway
from tests.support.payments import CART, CHECKOUT

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DEFAULT_USER = "buyer@acme.example"
OPERATOR_USER = "operator@demo.example"

FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
DIRECTIVE = re.compile(r"<!--\s*example:(.*?)-->", re.S)
PLACEHOLDER = re.compile(r"<[A-Za-z][^<>\"\n]*>")


@dataclass
class Example:
    where: str  # file:line, the test id
    query: str
    variables: dict[str, Any] | None = None
    settings: dict[str, str] = field(default_factory=dict)
    skip: str | None = None
    curl: list[str] | None = None  # README curl commands: the raw shell commands, run in order
    shell: str | None = None  # a marked bash block, run as it is

    @property
    def user(self) -> str | None:
        who = self.settings.get("as", DEFAULT_USER)
        return None if who == "anonymous" else who

    @property
    def client(self) -> str:
        return self.settings.get("client", "OPERATOR" if self.user == OPERATOR_USER else "ACCOUNT")

    @property
    def needs(self) -> list[str]:
        return [n for n in self.settings.get("needs", "").split(",") if n]

    @property
    def expected(self) -> set[str]:
        return {c for c in self.settings.get("expect", "").split(",") if c}


def _settings(comment: str) -> tuple[dict[str, str], str | None]:
    text = comment.strip()
    if text.startswith("skip"):
        reason = text[4:].strip().strip("()").strip()
        return {}, reason or "?"
    out = {}
    for part in text.split():
        key, sep, value = part.partition("=")
        if not sep or key not in {"as", "client", "needs", "expect"}:
            raise ValueError(f"unknown example setting {part!r} (known: as, client, needs, expect, skip)")
        out[key] = value
    return out, None


def _blocks(path: Path) -> list[tuple[int, str, str, str | None]]:
    """(line, language, body, the example comment just before it) of every fenced block of a markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, lang, body = i, m.group(2), []
        i += 1
        while i < len(lines) and not FENCE.match(lines[i]):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        j = start - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        comment = None
        if j >= 0 and lines[j].rstrip().endswith("-->"):
            k = j
            while k > 0 and "<!--" not in lines[k]:
                k -= 1
            found = DIRECTIVE.search("\n".join(lines[k : j + 1]))
            comment = found.group(1) if found else None
        blocks.append((start + 1, lang, "\n".join(body), comment))
    return blocks


def collect() -> list[Example]:
    examples = []
    for path in DOCS:
        name = path.relative_to(ROOT).as_posix()
        blocks = _blocks(path)
        curls = []
        for n, (line, lang, body, comment) in enumerate(blocks):
            settings, skip = _settings(comment) if comment is not None else ({}, None)
            if lang == "graphql":
                variables = None
                if n + 1 < len(blocks) and blocks[n + 1][1] == "json" and _adjacent(path, line, blocks[n + 1][0]):
                    variables = json.loads(blocks[n + 1][2])
                examples.append(Example(f"{name}:{line}", body, variables, settings, skip))
            elif lang == "bash" and comment is not None:
                examples.append(Example(f"{name}:{line}", "", None, settings, skip, shell=body))
            elif lang == "bash" and name == "README.md" and "/graphql" in body and "curl" in body:
                curls.append(body)
        if curls:
            examples.append(Example(f"{name}:curl", "", curl=curls))
    return examples


def _adjacent(path: Path, graphql_line: int, json_line: int) -> bool:
    """The json block follows the graphql block with nothing but blank lines between them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    closing = graphql_line  # index of the line after the opening fence, then walk to the closing one
    while not FENCE.match(lines[closing]):
        closing += 1
    return all(not ln.strip() for ln in lines[closing + 1 : json_line - 1])


EXAMPLES = collect()


def error_codes(body: dict) -> list[str]:
    """Every error of an answer: top-level (extensions.code, else the message) and every payload `errors`."""
    codes = [(e.get("extensions") or {}).get("code") or e.get("message", "?") for e in body.get("errors") or []]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "errors" and isinstance(value, list):
                    codes.extend(e.get("code", "?") if isinstance(e, dict) else str(e) for e in value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(body.get("data"))
    return codes


def _remember(token: str) -> None:
    SECRETS.add(token)
    TOKENS_ISSUED.append(token)


async def headers_for(gw: Gateway, user: str | None, client: str) -> dict[str, str]:
    if user is None:
        return gw.headers(client=client)
    return gw.headers(await gw.token(user), client=client)


class Fill:
    """The values placeholders stand for, made on demand by the `needs` of an example."""

    def __init__(self, gw: Gateway, headers: dict[str, str]) -> None:
        self.gw, self.headers = gw, headers
        self.values: dict[str, Any] = {}

    async def catalog(self) -> None:
        buyer = await headers_for(self.gw, DEFAULT_USER, "ACCOUNT")
        data = await self.gw.data(
            "{ products(first: 100) { edges { node { variants { id sku offers { id } } } } } }", headers=buyer
        )
        for edge in data["products"]["edges"]:
            for v in edge["node"]["variants"]:
                self.values[f"<variant id of {v['sku']}>"] = v["id"]
                if v["offers"]:
                    self.values[f"<offer id of {v['sku']}>"] = v["offers"][0]["id"]

    async def draft(self, headers: dict[str, str]) -> dict:
        await self.catalog()
        payload = (
            await self.gw.data(
                CREATE,
                {
                    "input": {
                        "shippingAddressId": "ACME-HQ",
                        "billingAddressId": "ACME-HQ",
                        "lines": [{"offerId": self.values["<offer id of PAPER-A4>"], "quantity": 50}],
                    }
                },
                headers,
            )
        )["createDraftOrder"]
        assert payload["errors"] == [], payload
        return payload["draftOrder"]

    async def need(self, name: str) -> None:
        gw = self.gw
        if name == "draft":
            d = await self.draft(self.headers)
            self.values.update({"<draft id>": d["id"], "<draft version>": d["version"]})
        elif name == "cart":
            await self.catalog()
            cart = (await gw.data(CART, headers=self.headers))["cart"]
            line = {"offerId": self.values["<offer id of PAPER-A4>"], "quantity": 50}
            added = (await gw.data(ADD, {"id": cart["id"], "lines": [line]}, self.headers))["addDraftOrderLines"]
            assert added["errors"] == [], added
            self.values.update({"<cart id>": cart["id"], "<cart version>": added["draftOrder"]["version"]})
        elif name == "order":
            buyer = await headers_for(gw, DEFAULT_USER, "ACCOUNT")
            d = await self.draft(buyer)
            placed = (await gw.data(PLACE, {"id": d["id"]}, buyer))["placeDraftOrder"]
            assert placed["errors"] == [], placed
            order = placed["order"]
            read = await gw.data("query($id: ID!) { order(id: $id) { lines { id } } }", {"id": order["id"]}, buyer)
            self.values.update(
                {
                    "<order line id>": read["order"]["lines"][0]["id"],
                    "<order id>": order["id"],
                    "<order reference>": order["reference"],
                    "<logistic order id>": order["logisticOrders"][0]["id"],
                    "<logistic order reference>": order["logisticOrders"][0]["reference"],
                }
            )
        elif name == "pending-payment":
            buyer = await headers_for(gw, DEFAULT_USER, "ACCOUNT")
            await Fill(gw, buyer).need("cart")
            inp = {"addressId": "ACME-HQ", "paymentMethodId": "card-redirect", "shippingMethodId": "standard"}
            out = (await gw.data(CHECKOUT, {"input": inp}, buyer))["checkoutCart"]
            assert out["errors"] == [], out
            order_id = out["result"]["order"]["id"]
            pays = await gw.data(
                "query($id: ID!) { order(id: $id) { payments { id status } } }", {"id": order_id}, buyer
            )
            self.values.update(
                {
                    "<amount>": out["result"]["order"]["total"]["amount"],
                    "<order key>": out["result"]["orderKey"],
                    "<pending order id>": order_id,
                    "<payment id>": pays["order"]["payments"][-1]["id"],
                }
            )
        elif name == "requisition-list":
            buyer = await headers_for(gw, DEFAULT_USER, "ACCOUNT")
            items = [{"sku": "PAPER-A4", "quantity": 50}, {"sku": "NOTEBOOK", "quantity": 10}]
            made = (
                await gw.data(
                    "mutation($input: CreateRequisitionListInput!) { createRequisitionList(input: $input) { "
                    "requisitionList { id } errors { code message } } }",
                    {"input": {"name": "Office weekly", "shared": True, "items": items}},
                    buyer,
                )
            )["createRequisitionList"]
            assert made["errors"] == [], made
            self.values["<requisition list id>"] = made["requisitionList"]["id"]
        elif name == "paid-order":
            buyer = await headers_for(gw, DEFAULT_USER, "ACCOUNT")
            await Fill(gw, buyer).need("cart")
            inp = {"addressId": "ACME-HQ", "paymentMethodId": "bank-wire", "shippingMethodId": "standard"}
            out = (await gw.data(CHECKOUT, {"input": inp}, buyer))["checkoutCart"]
            assert out["errors"] == [], out
            order_id = out["result"]["order"]["id"]
            read = (
                "query($id: ID!) { order(id: $id) { reference total { amount } lines { id sku } "
                "logisticOrders { id } } }"
            )
            order = (await gw.data(read, {"id": order_id}, buyer))["order"]
            operator = await headers_for(gw, OPERATOR_USER, "OPERATOR")
            record = "mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { errors { code } } }"
            wire = {"orderId": order_id, "amount": order["total"]["amount"], "idempotencyKey": "docs-wire"}
            assert (await gw.data(record, {"i": wire}, operator))["recordPayment"]["errors"] == []
            self.values.update(
                {
                    "<paid order id>": order_id,
                    "<paid order reference>": order["reference"],
                    "<paid order line id>": order["lines"][0]["id"],
                    "<paid logistic order id>": order["logisticOrders"][0]["id"],
                    "<paid amount>": order["total"]["amount"],
                }
            )
        elif name == "approval":
            buyer = await headers_for(gw, "buyer2@acme.example", "ACCOUNT")
            await self.catalog()
            lines = [{"offerId": self.values["<offer id of CHAIR-ERGO>"], "quantity": 5}]
            payload = (
                await gw.data(
                    CREATE,
                    {"input": {"shippingAddressId": "ACME-HQ", "billingAddressId": "ACME-HQ", "lines": lines}},
                    buyer,
                )
            )["createDraftOrder"]
            assert payload["errors"] == [], payload
            asked = (
                await gw.data(
                    'mutation($id: ID!) { requestApproval(draftOrderId: $id, comment: "new office") { '
                    "errors { code message } } }",
                    {"id": payload["draftOrder"]["id"]},
                    buyer,
                )
            )["requestApproval"]
            assert asked["errors"] == [], asked
            self.values["<waiting draft id>"] = payload["draftOrder"]["id"]
        else:
            known = "draft, cart, order, pending-payment, requisition-list, paid-order, approval"
            raise AssertionError(f"unknown `needs` value {name!r} (known: {known})")

    def into(self, value: Any) -> Any:
        """`value` with every known placeholder replaced; a string that is one placeholder takes its type."""
        if isinstance(value, dict):
            return {k: self.into(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.into(v) for v in value]
        if isinstance(value, str):
            if value in self.values:
                return self.values[value]
            return PLACEHOLDER.sub(lambda m: str(self.values.get(m.group(0), m.group(0))), value)
        return value


def _operations(example: Example) -> list[str | None]:
    """Names of the operations of a block (None: its single anonymous one); fails when there is none."""
    try:
        doc = parse(example.query)
    except GraphQLSyntaxError as exc:
        pytest.fail(f"{example.where}: not a GraphQL document ({exc.message}); mark it `<!-- example: skip (why) -->`")
    ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
    if not ops:
        pytest.fail(
            f"{example.where}: no operation to run (a fragment or SDL?); mark it `<!-- example: skip (why) -->`"
        )
    if len(ops) == 1:
        return [ops[0].name.value if ops[0].name else None]
    unnamed = [op for op in ops if op.name is None]
    assert not unnamed, f"{example.where}: several operations in one block must all be named"
    return [op.name.value for op in ops]


def check(where: str, body: dict, expected: set[str]) -> None:
    codes = error_codes(body)
    if expected:
        assert set(codes) == expected, f"{where}: expected exactly {sorted(expected)}, got {codes}: {body}"
    else:
        assert codes == [], f"{where}: the example answers errors {codes}: {body}"


async def run_block(gw: Gateway, example: Example) -> None:
    headers = await headers_for(gw, example.user, example.client)
    fill = Fill(gw, headers)
    text = example.query + json.dumps(example.variables or {})
    if PLACEHOLDER.search(text):
        await fill.catalog()
    for need in example.needs:
        await fill.need(need)
    query, variables = fill.into(example.query), fill.into(example.variables or {})
    left = PLACEHOLDER.findall(query + json.dumps(variables))
    assert not left, f"{example.where}: placeholders {left} are filled by nothing (see `needs` in this test's doc)"
    for name in _operations(example):
        payload: dict[str, Any] = {"query": query, "variables": variables}
        if name:
            payload["operationName"] = name
        resp = await gw.client.post("/graphql", json=payload, headers=headers)
        assert resp.status_code == 200 or example.expected, f"{example.where}: HTTP {resp.status_code}: {resp.text}"
        check(f"{example.where} {name or ''}".strip(), resp.json(), example.expected)


def _curl(command: str, env: dict[str, str]) -> tuple[dict[str, str], dict]:
    """Headers and JSON body of one `curl ... /graphql -H ... -d '...'` command, as a shell would pass them."""
    words = shlex.split(command.replace("\\\n", " "))
    assert words[0] == "curl", command
    headers, body = {}, None
    for flag, value in zip(words, words[1:], strict=False):
        if flag == "-H":
            name, _, val = value.partition(":")
            headers[name.strip().lower()] = re.sub(r"\$(\w+)", lambda m: env.get(m.group(1), m.group(0)), val.strip())
        elif flag in ("-d", "--data", "--data-binary"):
            body = json.loads(value)
    assert body is not None, f"no -d body in {command!r}"
    headers.pop("content-type", None)
    return headers, body


async def run_curls(gw: Gateway, example: Example) -> None:
    env: dict[str, str] = {}
    ran = 0
    for block in example.curl or []:
        commands = [c for c in re.split(r"\n\s*\n", block) if c.strip().startswith("curl")]
        for command in commands:
            if "/graphql" not in command:
                continue
            headers, body = _curl(command, env)
            left = [v for v in headers.values() if "$" in v]
            assert not left, f"{example.where}: {left} set by no earlier command"
            resp = await gw.client.post("/graphql", json=body, headers=headers)
            assert resp.status_code == 200, f"{example.where}: HTTP {resp.status_code}: {resp.text}"
            answer = resp.json()
            check(example.where, answer, set())
            token = ((answer.get("data") or {}).get("createToken") or {}).get("token")
            if token:
                _remember(token)
                env["TOKEN"] = token
            ran += 1
    assert ran, f"{example.where}: no curl command to /graphql found"


async def run_shell(gw: Gateway, example: Example) -> None:
    headers = await headers_for(gw, example.user, example.client)
    fill = Fill(gw, headers)
    for need in example.needs:
        await fill.need(need)
    script = fill.into(example.shell or "").replace("http://127.0.0.1:8000", str(gw.client.base_url).rstrip("/"))
    left = PLACEHOLDER.findall(script)
    assert not left, f"{example.where}: placeholders {left} are filled by nothing (see `needs` in this test's doc)"
    proc = await asyncio.create_subprocess_exec(
        "bash", "-euo", "pipefail", "-c", script, stdout=PIPE, stderr=PIPE
    )  # asynchronous: the gateway it calls answers in this event loop
    out, err = await proc.communicate()
    text = out.decode() + err.decode()
    assert proc.returncode == 0, f"{example.where}: exit {proc.returncode}: {text}"
    for code in example.expected:
        assert code in text, f"{example.where}: {code} expected in {text!r}"
    if not example.expected:
        assert "error" not in text.lower(), f"{example.where}: {text}"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.where for e in EXAMPLES])
async def test_doc_example(live: Gateway, example: Example) -> None:
    if example.skip:
        pytest.skip(f"{example.where}: {example.skip}")
    if example.curl:
        await run_curls(live, example)
    elif example.shell is not None:
        await run_shell(live, example)
    else:
        await run_block(live, example)


def test_every_doc_has_its_examples_found() -> None:
    """The collector sees the blocks the docs have (a fence it misparsed would silently drop examples)."""
    graphql_fences = sum(1 for p in DOCS for _, lang, _, _ in _blocks(p) if lang == "graphql")
    assert graphql_fences == sum(1 for e in EXAMPLES if not e.curl and e.shell is None)
    assert graphql_fences >= 8
    assert any(e.curl for e in EXAMPLES), "the README's curl examples are not collected"


async def test_graphiql_example_operations(live: Gateway) -> None:
    """GraphiQL's editor, as its comments tell a user: Viewer, SignIn (token into the headers), Catalog (an
    offer id into the variables), CreateDraft (its id into the variables), PlaceDraft, MyOrders."""
    names = [op.name.value for op in parse(DEMO_OPERATIONS).definitions if isinstance(op, OperationDefinitionNode)]
    variables = json.loads(DEMO_VARIABLES)
    headers = dict(DEMO_HEADERS)
    assert headers["dj-api-key"] == API_KEY

    async def run(name: str) -> dict:
        # GraphiQL sends the whole document and every variable of the tab; the operation uses its own.
        resp = await live.client.post(
            "/graphql", json={"query": DEMO_OPERATIONS, "operationName": name, "variables": variables}, headers=headers
        )
        assert resp.status_code == 200, f"GraphiQL {name}: HTTP {resp.status_code}: {resp.text}"
        body = resp.json()
        check(f"GraphiQL {name}", body, set())
        return body["data"]

    ran = []
    await run("Viewer")  # before signing in: the anonymous viewer
    ran.append("Viewer")
    token = (await run("SignIn"))["createToken"]["token"]
    _remember(token)
    assert PASSWORD in DEMO_OPERATIONS
    headers["Authorization"] = f"Bearer {token}"
    ran.append("SignIn")
    viewer = await run("Viewer")
    assert viewer["viewer"]["user"]["email"] == DEFAULT_USER
    catalog = await run("Catalog")
    ran.append("Catalog")
    offers = [o for e in catalog["products"]["edges"] for v in e["node"]["variants"] for o in v["offers"]]
    variables["offerId"] = offers[0]["id"]  # "copy an offer id": the first one
    draft = (await run("CreateDraft"))["createDraftOrder"]["draftOrder"]
    ran.append("CreateDraft")
    assert [i for i in draft["issues"] if i["blocking"]] == [], draft
    variables["draftId"] = draft["id"]
    placed = (await run("PlaceDraft"))["placeDraftOrder"]["order"]
    ran.append("PlaceDraft")
    assert placed["status"] == "PLACED", placed
    mine = (await run("MyOrders"))["orders"]["edges"]
    ran.append("MyOrders")
    assert placed["reference"] in [e["node"]["reference"] for e in mine]
    assert sorted(ran) == sorted(names), f"GraphiQL operations not run: {set(names) - set(ran)}"


def test_the_convention(tmp_path: Path) -> None:
    """The comment is read, an expected error must occur, an unexpected one fails, and a block that is not an
    operation fails unless marked."""
    doc = tmp_path / "doc.md"
    doc.write_text(
        "Text.\n\n<!-- example: as=operator@demo.example needs=order,draft expect=NOT_FOUND -->\n\n"
        '```graphql\nquery Q { viewer { clientType } }\n```\n```json\n{"a": "<order id>"}\n```\n\n'
        "<!-- example: skip (a fragment) -->\n```graphql\nfragment F on Viewer { clientType }\n```\n",
        encoding="utf-8",
    )
    (line, lang, body, comment), (_, _, json_body, _), (_, _, _, skip) = _blocks(doc)
    assert (line, lang, body) == (5, "graphql", "query Q { viewer { clientType } }")
    assert json.loads(json_body) == {"a": "<order id>"} and _adjacent(doc, line, 8)
    settings, reason = _settings(comment)
    example = Example("doc.md:5", body, None, settings, reason)
    assert (example.user, example.client, example.needs, example.expected) == (
        OPERATOR_USER,
        "OPERATOR",
        ["order", "draft"],
        {"NOT_FOUND"},
    )
    assert _settings(skip) == ({}, "a fragment")
    with pytest.raises(ValueError, match="unknown example setting"):
        _settings(" user=someone ")

    payload = {"data": {"m": {"thing": None, "errors": [{"code": "NOT_FOUND", "message": "no"}]}}}
    top = {"data": None, "errors": [{"message": "no", "extensions": {"code": "FORBIDDEN"}}]}
    assert error_codes(payload) == ["NOT_FOUND"] and error_codes(top) == ["FORBIDDEN"]
    check("x", payload, {"NOT_FOUND"})
    check("x", {"data": {"m": {"errors": []}}}, set())
    for body, expected in ((payload, set()), (top, {"NOT_FOUND"}), ({"data": {"m": {"errors": []}}}, {"NOT_FOUND"})):
        with pytest.raises(AssertionError):
            check("x", body, expected)

    fragment = Example("doc.md:12", "fragment F on Viewer { clientType }")
    with pytest.raises(pytest.fail.Exception, match="mark it"):
        _operations(fragment)
    with pytest.raises(pytest.fail.Exception, match="not a GraphQL document"):
        _operations(Example("doc.md:1", "type Query { a: Int }}"))
    assert _operations(Example("doc.md:1", "query A { a } query B { b }")) == ["A", "B"]
