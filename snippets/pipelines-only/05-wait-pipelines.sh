# Poll until every Deployment of Pipelines is Available, for at most 15 minutes.
kubectl wait --for=condition=Available deployments --all -n kubeflow --timeout=900s
kubectl get pods -n kubeflow
