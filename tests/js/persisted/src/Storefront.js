// A storefront's documents, written once in the form all three tools read from source: relay-compiler,
// graphql-codegen's client preset and Apollo's generate-persisted-query-manifest each find the graphql``
// tags and write their own persisted documents manifest (tests/js/persisted.mjs).
import { graphql } from "relay-runtime";

export const shelf = graphql`
  query StorefrontShelfQuery($search: String) {
    products(first: 2, search: $search) {
      totalCount
      edges {
        node {
          id
          name
        }
      }
    }
  }
`;

export const viewer = graphql`
  query StorefrontViewerQuery {
    viewer {
      clientType
      currency
      store {
        externalId
      }
    }
  }
`;
