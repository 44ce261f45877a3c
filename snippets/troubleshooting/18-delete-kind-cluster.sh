# ko: 어떤 kind 클러스터가 있는지
# en: Which kind clusters exist
kind get clusters
# ko: 이름이 "kind"인 클러스터를 삭제합니다(다른 클러스터는 --name NAME을 붙임)
# en: Delete the one named "kind" (add --name NAME for another one)
kind delete cluster
