"""Typer sub-apps registered by :mod:`matching.cli` (one module per feature)."""
