# Forward local port 8080 to the Pipelines UI, which also serves the API the SDK talks to.
# Open http://localhost:8080; stop the forward with Ctrl+C once the run below is done.
kubectl port-forward svc/ml-pipeline-ui -n kubeflow 8080:80
