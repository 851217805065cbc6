// Order history: filtered by status, sorted by a typed key and direction (OrderSort), paged.
import { useState } from "react";
import { useQuery } from "urql";
import type { Nav } from "../App";
import { Orders } from "../documents";
import type { OrderSortField, OrderStatus, SortDirection } from "../gql/graphql";
import { Failure, Loading, Price, StatusBadge } from "../ui";

const STATUSES: OrderStatus[] = ["PLACED", "PAYMENT_PENDING", "CANCELED"];
const SORTS: { value: string; label: string; field: OrderSortField; direction: SortDirection }[] = [
  { value: "created-desc", label: "Newest first", field: "CREATED_AT", direction: "DESC" },
  { value: "created-asc", label: "Oldest first", field: "CREATED_AT", direction: "ASC" },
  { value: "total-desc", label: "Total, highest first", field: "TOTAL_AMOUNT", direction: "DESC" },
  { value: "total-asc", label: "Total, lowest first", field: "TOTAL_AMOUNT", direction: "ASC" },
  { value: "reference-asc", label: "Reference", field: "REFERENCE", direction: "ASC" },
];

export function OrdersPage({ nav }: { nav: Nav }) {
  const [status, setStatus] = useState<OrderStatus | "">("");
  const [sort, setSort] = useState("created-desc");
  const [after, setAfter] = useState<string | null>(null);
  const chosen = SORTS.find((s) => s.value === sort) ?? SORTS[0]!;
  const [{ data, fetching, error }] = useQuery({
    query: Orders,
    variables: {
      filter: status ? { status: [status] } : null,
      orderBy: [{ field: chosen.field, direction: chosen.direction }],
      first: 20,
      after,
    },
    requestPolicy: "cache-and-network",
  });

  return (
    <>
      <h1>Order history</h1>
      <form className="toolbar" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select
            name="status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as OrderStatus | "");
              setAfter(null);
            }}
          >
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort
          <select
            name="sort"
            value={sort}
            onChange={(e) => {
              setSort(e.target.value);
              setAfter(null);
            }}
          >
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      {fetching && <Loading what="your orders" />}
      <Failure error={error} />
      {data && (
        <>
          <p data-testid="orders-count">{data.orders.totalCount} orders</p>
          <table data-testid="orders">
            <caption className="sr-only">Orders</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Status</th>
                <th scope="col">Payment</th>
                <th scope="col">Placed</th>
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {data.orders.edges.map(({ node }) => (
                <tr key={node.id} data-testid={`order-row-${node.reference}`}>
                  <td>
                    <button type="button" className="link" onClick={() => nav({ page: "order", id: node.reference })}>
                      {node.reference}
                    </button>
                  </td>
                  <td>
                    <StatusBadge status={node.status} />
                  </td>
                  <td>{node.paymentStatus}</td>
                  <td>{node.placedAt ? new Date(node.placedAt).toLocaleString("en-GB") : "-"}</td>
                  <td>
                    <Price money={node.total} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.orders.pageInfo.hasNextPage && (
            <button type="button" onClick={() => setAfter(data.orders.pageInfo.endCursor ?? null)}>
              Next page
            </button>
          )}
        </>
      )}
    </>
  );
}
