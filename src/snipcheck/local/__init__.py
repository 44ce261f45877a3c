"""The local tier: a snippet really run on this machine, offline, in a sandbox."""
