# Set POD (and NAMESPACE, if not kubeflow) from the list above;
# the Events at the end of the output say what went wrong
kubectl describe pod "${POD:?set POD to a pod name first}" \
    --namespace "${NAMESPACE:-kubeflow}"
