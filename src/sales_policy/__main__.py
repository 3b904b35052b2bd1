"""``python -m sales_policy`` runs the command line."""

from .cli import main

raise SystemExit(main())
