"""``python -m sales_policy`` runs the command line."""

from .console import console

raise SystemExit(console())
