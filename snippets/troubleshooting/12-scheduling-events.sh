# ko: 스케줄러가 파드를 배치하지 못한 이유("Insufficient cpu", 바인딩되지 않은 PVC 등)
# en: Why the scheduler placed no pod ("Insufficient cpu", unbound PVCs, ...)
kubectl get events -A --field-selector reason=FailedScheduling
