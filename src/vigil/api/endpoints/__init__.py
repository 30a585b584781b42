"""One module per concept; each endpoint declares its own input and output schema beside it."""
