# ko: 노드마다 파드에 내줄 수 있는 자원(allocatable)
# en: What each node offers to pods (allocatable)
kubectl get nodes -o custom-columns='NAME:.metadata.name,CPU:.status.allocatable.cpu,MEMORY:.status.allocatable.memory'
# ko: 노드마다 이미 파드들이 요청한 자원
# en: What the pods on each node already request
kubectl describe nodes | grep -A 8 'Allocated resources'
