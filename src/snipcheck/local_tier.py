"""Local tier (placeholder until the runner lands)."""
import pytest


def run(snippet, tier, ctx):
    pytest.skip("local tier not implemented yet")
