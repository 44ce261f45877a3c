# ko: Pending 상태인 파드마다 네임스페이스, 파드 이름, 이미지
# en: Namespace, pod and images of every Pending pod
kubectl get pods -A --field-selector=status.phase=Pending \
    -o custom-columns='NAMESPACE:.metadata.namespace,POD:.metadata.name,IMAGES:.spec.containers[*].image'
