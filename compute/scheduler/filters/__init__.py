"""Compute filters, one class per file, enabled by class name in settings.SCHEDULER_FILTERS."""
