"""Dashboard panels: one package per panel (see dashboard/README.md)."""
