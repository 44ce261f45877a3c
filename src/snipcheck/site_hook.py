"""MkDocs hook (placeholder until the badges land)."""
