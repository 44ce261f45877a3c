"""Static tier (placeholder until the lint module lands)."""
import pytest


def run(snippet, tier, ctx):
    pytest.skip("static tier not implemented yet")
