"""``python -m sales_policy`` runs the command line."""

from .console import run

run()
