"""Cluster tier (placeholder until the kind orchestration lands)."""
import pytest


def run(snippet, tier, ctx):
    pytest.skip("cluster tier not implemented yet")


def skip_reason(ctx, chain):
    return None


def finish_chain(ctx, name):
    pass


def finish_all(ctx):
    pass
