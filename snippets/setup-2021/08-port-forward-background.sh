# ko: 같은 포워딩을 백그라운드로 돌립니다. 출력은 로그 파일로, 프로세스 ID는 파일로 보냅니다.
# en: The same forward in the background: its output goes to a log, its process ID to a file.
kubectl port-forward -n istio-system svc/istio-ingressgateway 8080:80 > port-forward.log 2>&1 &
echo $! > port-forward.pid
# ko: 시간을 어림하지 않고, 포워딩이 응답할 때까지(최대 30번, 2초 간격) 기다립니다.
# en: Wait until the forward answers (up to 30 tries, 2 s apart) rather than guessing a delay.
curl -sS -o /dev/null --retry 30 --retry-delay 2 --retry-connrefused http://127.0.0.1:8080/
echo "port-forward is up, PID $(cat port-forward.pid)"
