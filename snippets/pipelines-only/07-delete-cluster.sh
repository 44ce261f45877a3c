# Delete the cluster and everything Pipelines stored in it.
kind delete cluster
