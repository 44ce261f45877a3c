"""The static tier: what can be checked of a snippet without running it."""
