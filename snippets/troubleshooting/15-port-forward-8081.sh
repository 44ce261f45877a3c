# ko: 비어 있는 다른 로컬 포트로 포워딩하고 http://localhost:8081을 엽니다
# en: Forward another free local port, then open http://localhost:8081
kubectl port-forward svc/istio-ingressgateway -n istio-system 8081:80
