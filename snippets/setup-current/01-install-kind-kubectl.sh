# ko: kind v0.32.0과 kubectl v1.36.1을 현재 사용자에게만 설치합니다. sudo도, /usr/local/bin도 쓰지 않습니다.
# ko: kubectl은 클러스터와 마이너 버전 하나 차이까지만 지원되므로 노드 이미지 버전에 맞춥니다.
# en: Install kind v0.32.0 and kubectl v1.36.1 for this user only: no sudo, nothing in /usr/local/bin.
# en: kubectl is supported only within one minor version of the cluster, so it matches the node image.
KIND_VERSION=v0.32.0
KUBECTL_VERSION=v1.36.1
mkdir -p "$HOME/.local/bin"
# ko: 새 셸에는 ~/.local/bin이 PATH에 없을 수 있으므로, 이 터미널이 바로 찾도록 앞에 붙입니다.
# ko: 새로 여는 터미널에서도 쓰려면 같은 줄을 ~/.bashrc에 넣으세요.
# en: A new shell may not have ~/.local/bin on PATH: put it first, so this terminal finds the tools now.
# en: Add the same line to ~/.bashrc for the terminals you open later.
export PATH="$HOME/.local/bin:$PATH"
curl -fsSLo kind-linux-amd64 "https://kind.sigs.k8s.io/dl/${KIND_VERSION}/kind-linux-amd64"
curl -fsSLo kind-linux-amd64.sha256sum "https://kind.sigs.k8s.io/dl/${KIND_VERSION}/kind-linux-amd64.sha256sum"
curl -fsSLo kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl"
curl -fsSLo kubectl.sha256 "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl.sha256"
# ko: 잘리거나 깨진 다운로드를 명령으로 쓰기 전에 걸러 냅니다.
# en: Catch a truncated or corrupted download before it becomes a command.
sha256sum --check kind-linux-amd64.sha256sum
echo "$(cat kubectl.sha256)  kubectl" | sha256sum --check
chmod +x kind-linux-amd64 kubectl
mv kind-linux-amd64 "$HOME/.local/bin/kind"
mv kubectl "$HOME/.local/bin/kubectl"
kind version
kubectl version --client
