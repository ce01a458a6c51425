"""Pages for development and tests only."""
