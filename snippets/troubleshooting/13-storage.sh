# ko: 기본 StorageClass가 있어야 하고, 모든 PVC가 Bound여야 합니다
# en: A default StorageClass must exist, and every claim should be Bound
kubectl get storageclass
kubectl get pvc -A
