"""The ``songgang`` command (Typer): thin, like ``api/`` — parse arguments → core call → print."""
