# ko: 아직 실행 중인 kubectl port-forward 전부와 각각의 PID
# en: Every kubectl port-forward still running, with its PID
pgrep -af 'kubectl port-forward' || echo "no port-forward is running"
