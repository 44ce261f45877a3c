"""The cluster tier: chains of steps run against a kind cluster the session creates and deletes."""
