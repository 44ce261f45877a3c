# Only the items whose name matches: a file name, a group or a tier.
scripts/test -k port-forward
scripts/test -k kfp-v1
