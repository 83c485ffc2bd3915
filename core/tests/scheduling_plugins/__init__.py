"""A plugin package for the loader test: plugins are found here by class name."""
