# Create the cluster from the file above; --wait blocks until the node is Ready (at most 5 minutes).
# Without --name the cluster is called "kind" and kubectl's context "kind-kind".
kind create cluster --config 02-kind-config.yaml --wait 5m
kubectl get nodes
