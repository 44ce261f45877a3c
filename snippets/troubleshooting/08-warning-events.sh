# ko: 클러스터 전체의 Warning 이벤트, 최신 것이 맨 아래
# en: Warnings of the whole cluster, newest last
kubectl get events -A --field-selector type=Warning \
    --sort-by=.lastTimestamp
