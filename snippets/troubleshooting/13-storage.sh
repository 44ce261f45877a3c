# A default StorageClass must exist, and every claim should be Bound
kubectl get storageclass
kubectl get pvc -A
