# Poll until every Pod in the kubeflow Namespace is Ready, for at most 20 minutes,
# instead of sleeping and hoping; finished Pods of Jobs never become Ready, so skip them.
kubectl wait --for=condition=Ready pods --all -n kubeflow \
  --field-selector=status.phase!=Succeeded --timeout=1200s
kubectl -n kubeflow get pods
