# Install kind v0.32.0 and kubectl v1.36.1 for this user only: no sudo, nothing in /usr/local/bin.
# kubectl is supported only within one minor version of the cluster, so it matches the node image.
KIND_VERSION=v0.32.0
KUBECTL_VERSION=v1.36.1
mkdir -p "$HOME/.local/bin"
curl -fsSLo kind-linux-amd64 "https://kind.sigs.k8s.io/dl/${KIND_VERSION}/kind-linux-amd64"
curl -fsSLo kind-linux-amd64.sha256sum "https://kind.sigs.k8s.io/dl/${KIND_VERSION}/kind-linux-amd64.sha256sum"
curl -fsSLo kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl"
curl -fsSLo kubectl.sha256 "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl.sha256"
# Catch a truncated or corrupted download before it becomes a command.
sha256sum --check kind-linux-amd64.sha256sum
echo "$(cat kubectl.sha256)  kubectl" | sha256sum --check
chmod +x kind-linux-amd64 kubectl
mv kind-linux-amd64 "$HOME/.local/bin/kind"
mv kubectl "$HOME/.local/bin/kubectl"
kind version
kubectl version --client
