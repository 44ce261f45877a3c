# ko: Kubeflow 26.03.1 매니페스트만 받습니다: 브랜치 하나, 히스토리 없이.
# en: The manifests of Kubeflow 26.03.1 only: one branch, no history.
git clone --branch release-26.03.1 --depth 1 \
  https://github.com/kubeflow/community-distribution.git community-distribution
git -C community-distribution log -1 --format='%H %cs'
