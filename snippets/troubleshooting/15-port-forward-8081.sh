# ko: 새 터미널에서 비어 있는 다른 로컬 포트로 포워딩하고 http://localhost:8081을 엽니다
# en: In a new terminal, forward another free local port, then open http://localhost:8081
# ko: 새 터미널에는 설치 단계의 PATH 설정이 없으므로 ~/.local/bin을 다시 앞에 붙입니다.
# en: A new terminal lacks the install step's PATH setting: put ~/.local/bin first again.
export PATH="$HOME/.local/bin:$PATH"
kubectl port-forward svc/istio-ingressgateway -n istio-system 8081:80
