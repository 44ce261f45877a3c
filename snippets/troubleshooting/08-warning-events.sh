# Warnings of the whole cluster, newest last
kubectl get events -A --field-selector type=Warning \
    --sort-by=.lastTimestamp
