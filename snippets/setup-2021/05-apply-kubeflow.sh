# ko: Istio를 포함하고 로그인 화면이 없는 Kubeflow 1.2 구성(k8s_istio)입니다.
# ko: 움직일 수 있는 v1.2-branch 대신, 이 파일을 마지막으로 바꾼 그 브랜치의 커밋으로 고정합니다.
# en: The Kubeflow 1.2 configuration with Istio and without a login page (k8s_istio), pinned to the
# en: commit of v1.2-branch that last changed this file rather than to the moving branch itself.
MANIFESTS_COMMIT=ee4f3f562471671932d8b8158adedb9811d9495f
CONFIG_URI="https://raw.githubusercontent.com/kubeflow/manifests/${MANIFESTS_COMMIT}/kfdef/kfctl_k8s_istio.v1.2.0.yaml"
# ko: kfctl은 만든 kustomize 결과물과 KfDef 사본을 현재 폴더에 쓰므로, 비어 있는 새 폴더를 줍니다.
# ko: 폴더 이름이 배포 이름이 되므로 소문자, 숫자, '-'만 씁니다.
# ko: 괄호(서브셸) 안에서 폴더를 옮기므로 셸은 원래 폴더에 남고, &&는 첫 실패에서 멈춥니다.
# en: kfctl writes its generated kustomize tree and a copy of the KfDef into the current folder, so give it
# en: a new, empty one. Its name becomes the deployment's name, so it uses only lower case letters, digits
# en: and '-'. The subshell changes folder only inside the parentheses, so your shell stays where
# en: it was, and the && chain stops at the first failure, also when pasted into an interactive shell.
KF_DIR="$PWD/kubeflow-kfctl"
mkdir "$KF_DIR" && (cd "$KF_DIR" && kfctl apply -V -f "$CONFIG_URI")
