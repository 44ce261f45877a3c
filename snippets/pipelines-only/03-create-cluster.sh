# Create the one-node cluster; --wait blocks until the node is Ready (at most 5 minutes).
kind create cluster --config 02-kind-config.yaml --wait 5m
kubectl get nodes
