# Kubeflow Pipelines standalone, at the version Kubeflow 26.03.1 ships. kubectl fetches the
# manifests from the Git tag itself (this needs git on the machine).
PIPELINE_VERSION=2.16.1
KFP_MANIFESTS="github.com/kubeflow/pipelines/manifests/kustomize"
# First the cluster-wide part: the kubeflow Namespace, CRDs and cluster roles.
kubectl apply -k "${KFP_MANIFESTS}/cluster-scoped-resources?ref=${PIPELINE_VERSION}"
# Custom resources of the second part are refused until their CRDs are served.
kubectl wait --for=condition=established --timeout=60s crd --all
# Then Pipelines itself, with its MySQL and object store, in the kubeflow Namespace.
kubectl apply -k "${KFP_MANIFESTS}/env/platform-agnostic?ref=${PIPELINE_VERSION}"
