# What each node offers to pods (allocatable)
kubectl get nodes -o custom-columns='NAME:.metadata.name,CPU:.status.allocatable.cpu,MEMORY:.status.allocatable.memory'
# What the pods on each node already request
kubectl describe nodes | grep -A 8 'Allocated resources'
