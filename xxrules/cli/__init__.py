"""The ``xxrules`` command line: a thin shell over the public API.

:mod:`xxrules.cli.app` holds the routing, explaining, checking and drawing commands;
each later stage registers its own commands here (``plan`` and ``dedupe`` from
:mod:`xxrules.cli.planning`).
"""

from xxrules.cli import planning, workbench
from xxrules.cli.app import app, main

planning.register(app)
workbench.register(app)

__all__ = ["app", "main"]
