# ko: 클러스터의 모든 파드가 Ready가 될 때까지 최대 30분 기다립니다. 끝난 Job의 파드는
# ko: Ready가 되지 않으므로 제외합니다.
# en: Poll until every Pod of the cluster is Ready, for at most 30 minutes; Pods of finished
# en: Jobs never become Ready, so they are left out.
kubectl wait --for=condition=Ready pods --all --all-namespaces \
  --field-selector=status.phase!=Succeeded --timeout=1800s
kubectl get pods -n kubeflow
