"""The ``xxrules`` command line: a thin shell over the public API."""

from xxrules.cli.app import app, main

__all__ = ["app", "main"]
