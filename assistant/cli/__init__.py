"""`policy-qa` command line. Each sub-command lives in its own module with a
``register(subparsers)`` function; this package only wires them together."""

from .main import main

__all__ = ["main"]
