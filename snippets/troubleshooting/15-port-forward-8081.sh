# Forward another free local port, then open http://localhost:8081
kubectl port-forward svc/istio-ingressgateway -n istio-system 8081:80
