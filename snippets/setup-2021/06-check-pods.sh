# ko: 무작정 기다리는 대신, kubeflow 네임스페이스의 모든 파드가 Ready가 될 때까지 최대 20분 확인합니다.
# ko: 끝난 Job의 파드는 Ready가 되지 않으므로 뺍니다.
# en: Poll until every Pod in the kubeflow Namespace is Ready, for at most 20 minutes,
# en: instead of sleeping and hoping; finished Pods of Jobs never become Ready, so skip them.
kubectl wait --for=condition=Ready pods --all -n kubeflow \
  --field-selector=status.phase!=Succeeded --timeout=1200s
kubectl -n kubeflow get pods
