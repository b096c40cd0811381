"""Compiled reads: a query operation answered by one SQL statement that builds its JSON in the
database (compiler.py), from the same field declarations and scoped reads the resolvers use, run
after the limits and the permission check (extension.py). This package and schema/leaf_lists.py,
row_fields.py and selection.py are where graphql-core and strawberry internals are relied on."""
