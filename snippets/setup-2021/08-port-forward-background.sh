# The same forward in the background: its output goes to a log, its process ID to a file.
kubectl port-forward -n istio-system svc/istio-ingressgateway 8080:80 > port-forward.log 2>&1 &
echo $! > port-forward.pid
# Wait until the forward answers (up to 30 tries, 2 s apart) rather than guessing a delay.
curl -sS -o /dev/null --retry 30 --retry-delay 2 --retry-connrefused http://127.0.0.1:8080/
echo "port-forward is up, PID $(cat port-forward.pid)"
