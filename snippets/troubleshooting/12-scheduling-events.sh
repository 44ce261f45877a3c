# Why the scheduler placed no pod ("Insufficient cpu", unbound PVCs, ...)
kubectl get events -A --field-selector reason=FailedScheduling
