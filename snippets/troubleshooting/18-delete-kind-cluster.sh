# Which kind clusters exist
kind get clusters
# Delete the one named "kind" (add --name NAME for another one)
kind delete cluster
