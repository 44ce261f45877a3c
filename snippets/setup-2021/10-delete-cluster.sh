# ko: 클러스터와 노드 컨테이너를 지웁니다. kind는 kubeconfig에서 그 컨텍스트도 뺍니다.
# en: Delete the cluster and its node container; kind also removes its context from the kubeconfig.
kind delete cluster
