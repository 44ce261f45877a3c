# ko: 로컬 포트 8080을 Pipelines UI로 포워딩합니다. SDK가 호출하는 API도 이 UI가 제공합니다.
# ko: http://localhost:8080을 열고, 아래 실행이 끝나면 Ctrl+C로 포워딩을 멈춥니다.
# en: Forward local port 8080 to the Pipelines UI, which also serves the API the SDK talks to.
# en: Open http://localhost:8080; stop the forward with Ctrl+C once the run below is done.
# ko: 새 터미널에는 설치 단계의 PATH 설정이 없으므로 ~/.local/bin을 다시 앞에 붙입니다.
# en: A new terminal lacks the install step's PATH setting: put ~/.local/bin first again.
export PATH="$HOME/.local/bin:$PATH"
kubectl port-forward svc/ml-pipeline-ui -n kubeflow 8080:80
