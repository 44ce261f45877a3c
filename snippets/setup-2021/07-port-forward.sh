# Forward local port 8080 to the Istio ingress gateway; this keeps the terminal busy.
# Open http://localhost:8080 in a browser, and stop the forward with Ctrl+C.
kubectl port-forward -n istio-system svc/istio-ingressgateway 8080:80
