# ko: 로컬 포트 8080을 Istio 인그레스 게이트웨이로 포워딩합니다. 터미널은 이 명령이 계속 차지합니다.
# ko: http://localhost:8080을 열어 Dex로 로그인하고, 다 쓰면 Ctrl+C로 포워딩을 멈춥니다.
# en: Forward local port 8080 to the Istio ingress gateway; this keeps the terminal busy.
# en: Open http://localhost:8080, log in with Dex, and stop the forward with Ctrl+C.
# ko: 새 터미널에는 설치 단계의 PATH 설정이 없으므로 ~/.local/bin을 다시 앞에 붙입니다.
# en: A new terminal lacks the install step's PATH setting: put ~/.local/bin first again.
export PATH="$HOME/.local/bin:$PATH"
kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80
