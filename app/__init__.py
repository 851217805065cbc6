"""GraphQL commerce gateway."""
