# ko: 전체 플랫폼: Istio 인그레스 게이트웨이로 포트 포워딩(설치 페이지 7단계와 같은 명령).
# ko: 새 터미널에서 실행해 켜 두고, 다음 단계는 원래 터미널에서 이어 갑니다.
# en: Full platform: forward to the Istio ingress gateway (the same command as step 7 of the setup page).
# en: Run it in a new terminal and leave it running; the next steps go on in the first one.
# ko: 새 터미널에는 설치 단계의 PATH 설정이 없으므로 ~/.local/bin을 다시 앞에 붙입니다.
# en: A new terminal lacks the install step's PATH setting: put ~/.local/bin first again.
export PATH="$HOME/.local/bin:$PATH"
kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80
