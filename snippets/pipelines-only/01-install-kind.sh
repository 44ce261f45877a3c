# Install kind v0.32.0 for this user only: no sudo, nothing written to /usr/local/bin.
KIND_VERSION=v0.32.0
mkdir -p "$HOME/.local/bin"
curl -fsSLo kind-linux-amd64 "https://kind.sigs.k8s.io/dl/${KIND_VERSION}/kind-linux-amd64"
curl -fsSLo kind-linux-amd64.sha256sum "https://kind.sigs.k8s.io/dl/${KIND_VERSION}/kind-linux-amd64.sha256sum"
# Catches a truncated or corrupted download before it becomes a command.
sha256sum --check kind-linux-amd64.sha256sum
chmod +x kind-linux-amd64
mv kind-linux-amd64 "$HOME/.local/bin/kind"
kind version
