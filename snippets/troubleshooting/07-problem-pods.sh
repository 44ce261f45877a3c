# Pods neither Running nor Completed (ImagePullBackOff is still Pending)
kubectl get pods -A \
    --field-selector=status.phase!=Running,status.phase!=Succeeded
