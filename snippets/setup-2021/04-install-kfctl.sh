# ko: 마지막 릴리스인 kfctl v1.2.0의 리눅스용 파일입니다(튜토리얼은 v1.0의 macOS "darwin"용을 받았습니다).
# en: kfctl v1.2.0, the last release, as the Linux build (the tutorial fetched v1.0's macOS "darwin" one).
KFCTL_VERSION=v1.2.0
KFCTL_ASSET=kfctl_v1.2.0-0-gbc038f9_linux.tar.gz
curl -fsSLO "https://github.com/kubeflow/kfctl/releases/download/${KFCTL_VERSION}/${KFCTL_ASSET}"
# ko: 받은 그 파일을 여기에 풉니다. 이 프로젝트는 체크섬을 공개한 적이 없습니다.
# en: Unpack the very file downloaded above, here; the project never published checksums for it.
tar -xzf "$KFCTL_ASSET"
chmod +x kfctl
mkdir -p "$HOME/.local/bin"
mv kfctl "$HOME/.local/bin/kfctl"
kfctl version
