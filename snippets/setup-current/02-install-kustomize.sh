# ko: Kubeflow 26.03 매니페스트를 검증할 때 쓴 버전인 kustomize v5.8.1을 설치합니다.
# en: Install kustomize v5.8.1, the version the Kubeflow 26.03 manifests are validated with.
KUSTOMIZE_VERSION=v5.8.1
KUSTOMIZE_ASSET="kustomize_${KUSTOMIZE_VERSION}_linux_amd64.tar.gz"
# ko: kustomize 릴리스 태그는 "kustomize/vX.Y.Z" 형식이라, URL에서는 슬래시를 %2F로 씁니다.
# en: kustomize tags its releases "kustomize/vX.Y.Z"; the slash is written %2F in the URL.
RELEASE_URL="https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2F${KUSTOMIZE_VERSION}"
curl -fsSLO "${RELEASE_URL}/${KUSTOMIZE_ASSET}"
curl -fsSL "${RELEASE_URL}/checksums.txt" | grep "  ${KUSTOMIZE_ASSET}\$" > kustomize.sha256
sha256sum --check kustomize.sha256
tar -xzf "$KUSTOMIZE_ASSET"
mkdir -p "$HOME/.local/bin"
mv kustomize "$HOME/.local/bin/kustomize"
kustomize version
