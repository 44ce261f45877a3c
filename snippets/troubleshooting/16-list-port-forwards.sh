# Every kubectl port-forward still running, with its PID
pgrep -af 'kubectl port-forward' || echo "no port-forward is running"
