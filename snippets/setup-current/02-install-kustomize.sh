# Install kustomize v5.8.1, the version the Kubeflow 26.03 manifests are validated with.
KUSTOMIZE_VERSION=v5.8.1
KUSTOMIZE_ASSET="kustomize_${KUSTOMIZE_VERSION}_linux_amd64.tar.gz"
# kustomize tags its releases "kustomize/vX.Y.Z"; the slash is written %2F in the URL.
RELEASE_URL="https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2F${KUSTOMIZE_VERSION}"
curl -fsSLO "${RELEASE_URL}/${KUSTOMIZE_ASSET}"
curl -fsSL "${RELEASE_URL}/checksums.txt" | grep "  ${KUSTOMIZE_ASSET}\$" > kustomize.sha256
sha256sum --check kustomize.sha256
tar -xzf "$KUSTOMIZE_ASSET"
mkdir -p "$HOME/.local/bin"
mv kustomize "$HOME/.local/bin/kustomize"
kustomize version
