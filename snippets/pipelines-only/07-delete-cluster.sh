# ko: 클러스터와 Pipelines가 그 안에 저장한 모든 것을 삭제합니다.
# en: Delete the cluster and everything Pipelines stored in it.
kind delete cluster
