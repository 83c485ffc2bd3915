"""Compute weighers, one class per file, enabled by class name in settings.SCHEDULER_WEIGHERS."""
