# Poll until every Pod of the cluster is Ready, for at most 30 minutes; Pods of finished
# Jobs never become Ready, so they are left out.
kubectl wait --for=condition=Ready pods --all --all-namespaces \
  --field-selector=status.phase!=Succeeded --timeout=1800s
kubectl get pods -n kubeflow
