# Namespace, pod and images of every Pending pod
kubectl get pods -A --field-selector=status.phase=Pending \
    -o custom-columns='NAMESPACE:.metadata.namespace,POD:.metadata.name,IMAGES:.spec.containers[*].image'
