# ko: 노드 하나짜리 클러스터를 만듭니다. --wait는 노드가 Ready가 될 때까지(최대 5분) 기다립니다.
# en: Create the one-node cluster; --wait blocks until the node is Ready (at most 5 minutes).
kind create cluster --config 02-kind-config.yaml --wait 5m
kubectl get nodes
