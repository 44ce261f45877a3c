# The example user's Profile and the Namespace it owns, where notebooks and runs live.
kubectl get profiles
kubectl get namespace kubeflow-user-example-com
