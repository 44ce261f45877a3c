# kfctl v1.2.0, the last release, as the Linux build (the tutorial fetched the macOS "darwin" one).
KFCTL_VERSION=v1.2.0
KFCTL_ASSET=kfctl_v1.2.0-0-gbc038f9_linux.tar.gz
curl -fsSLO "https://github.com/kubeflow/kfctl/releases/download/${KFCTL_VERSION}/${KFCTL_ASSET}"
# Unpacks the kfctl binary here; the project never published checksums for it.
tar -xzf "$KFCTL_ASSET"
chmod +x kfctl
mkdir -p "$HOME/.local/bin"
mv kfctl "$HOME/.local/bin/kfctl"
kfctl version
