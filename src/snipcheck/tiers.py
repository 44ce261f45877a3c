"""Which function runs each tier; the tier modules own the how."""
from __future__ import annotations

from . import cluster_tier, local_tier, static_tier

RUNNERS = {
    "static": static_tier.run,
    "local": local_tier.run,
    "cluster": cluster_tier.run,
}

chain_skip_reason = cluster_tier.skip_reason
finish_chain = cluster_tier.finish_chain
finish_all = cluster_tier.finish_all
