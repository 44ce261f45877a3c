# ko: 위 파일로 클러스터를 만듭니다. --wait는 노드가 Ready가 될 때까지(최대 5분) 기다립니다.
# ko: --name이 없으므로 클러스터 이름은 "kind", kubectl 컨텍스트는 "kind-kind"입니다.
# en: Create the cluster from the file above; --wait blocks until the node is Ready (at most 5 minutes).
# en: Without --name the cluster is called "kind" and kubectl's context "kind-kind".
kind create cluster --config 02-kind-config.yaml --wait 5m
kubectl get nodes
