# Forward local port 8080 to the Istio ingress gateway; this keeps the terminal busy.
# Open http://localhost:8080, log in with Dex, and stop the forward with Ctrl+C.
kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80
