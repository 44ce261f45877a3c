# The Kubeflow 1.2 configuration with Istio and without a login page (k8s_istio),
# pinned to a commit of kubeflow/manifests rather than to the moving v1.2-branch.
MANIFESTS_COMMIT=342761e02469761bbd4f2e23f5f2df8e342eac49
CONFIG_URI="https://raw.githubusercontent.com/kubeflow/manifests/${MANIFESTS_COMMIT}/kfdef/kfctl_k8s_istio.v1.2.0.yaml"
# kfctl writes its generated kustomize tree into the current folder, so give it a new, empty one.
# The && chain stops at the first failure, also when pasted into an interactive shell.
KF_DIR="$PWD/kubeflow-1.2"
mkdir "$KF_DIR" && cd "$KF_DIR" && kfctl apply -V -f "$CONFIG_URI"
