"""Plain async Python behind the schema: scoped reads, loaders, services. No GraphQL here."""
