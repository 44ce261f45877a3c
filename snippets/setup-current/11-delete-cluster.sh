# Delete the cluster with all three node containers and everything installed in them.
kind delete cluster
