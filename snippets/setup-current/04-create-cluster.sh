# Create the three-node cluster; --wait blocks until every node is Ready (at most 5 minutes).
kind create cluster --config 03-kind-config.yaml --wait 5m
kubectl get nodes
