"""Thin resolvers: read the context, call a service, map the result to GraphQL types."""
