"""Domain services: every business rule lives here. No GraphQL (strawberry) import in this package."""
