"""The tiers, by name. Each offers the same small interface, so the plugin treats them alike:

- `skip_reason(ctx, snippet, tier)`: why the item cannot run on this machine, or None (writes nothing);
- `run(snippet, tier, ctx)`: check the snippet, raise SnippetFailure, return what was checked;
- `finish(ctx, done, following)`: after an item of the tier (done, and the next item's snippet or None),
  and once at the session's end with done=None.
"""

from __future__ import annotations

from types import ModuleType

from .cluster import tier as cluster_tier
from .local import tier as local_tier
from .static import tier as static_tier

TIERS: dict[str, ModuleType] = {
    "static": static_tier,
    "local": local_tier,
    "cluster": cluster_tier,
}
