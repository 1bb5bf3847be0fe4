"""Generator of the blocking facades (placeholder)."""
