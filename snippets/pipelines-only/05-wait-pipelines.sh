# ko: Pipelines의 모든 디플로이먼트가 Available이 될 때까지 최대 15분 기다립니다.
# en: Poll until every Deployment of Pipelines is Available, for at most 15 minutes.
kubectl wait --for=condition=Available deployments --all -n kubeflow --timeout=900s
kubectl get pods -n kubeflow
