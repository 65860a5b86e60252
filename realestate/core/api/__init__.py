"""API building blocks every app's ``api/`` composes: scoped view sets, shared throttles,
pagination, strict fields and the schema's shared error answers."""
