# ko: 로컬 8080 포트를 Istio 인그레스 게이트웨이로 연결합니다. 이 명령은 터미널을 붙잡고 있습니다.
# ko: 브라우저에서 http://localhost:8080을 열고, 멈출 때는 Ctrl+C를 누릅니다.
# en: Forward local port 8080 to the Istio ingress gateway; this keeps the terminal busy.
# en: Open http://localhost:8080 in a browser, and stop the forward with Ctrl+C.
# ko: 새 터미널에는 설치 단계의 PATH 설정이 없으므로 ~/.local/bin을 다시 앞에 붙입니다.
# en: A new terminal lacks the install step's PATH setting: put ~/.local/bin first again.
export PATH="$HOME/.local/bin:$PATH"
kubectl port-forward -n istio-system svc/istio-ingressgateway 8080:80
