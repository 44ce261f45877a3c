# Delete the cluster and its node container; kind also removes its context from the kubeconfig.
kind delete cluster
