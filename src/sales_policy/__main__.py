"""``python -m sales_policy`` runs the command line."""

from .cli import console

raise SystemExit(console())
