# ko: 전체 플랫폼: Istio 인그레스 게이트웨이로 포트 포워딩(설치 페이지 7단계와 같은 명령).
# ko: 이 터미널은 켜 둔 채, 다음 단계는 새 터미널에서 실행하세요.
# en: Full platform: forward to the Istio ingress gateway (the same command as step 7 of the setup page).
# en: Leave this terminal running and use a new one for the next steps.
kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80
