"""The HTTP edge of Partner Gateway: app, config, authentication, CLI."""
