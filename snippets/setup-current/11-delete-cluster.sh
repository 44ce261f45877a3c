# ko: 노드 컨테이너 세 개와 그 안에 설치한 모든 것을 포함해 클러스터를 삭제합니다.
# en: Delete the cluster with all three node containers and everything installed in them.
kind delete cluster
