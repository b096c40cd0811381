"""The strawberry schema. `schema.build.schema` is the one instance the gateway serves."""
