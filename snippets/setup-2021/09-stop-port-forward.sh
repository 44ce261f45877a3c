# ko: 위에서 시작한 그 프로세스만 멈추고, 다른 kubectl은 건드리지 않습니다.
# en: Stop exactly the process started above, and no other kubectl.
kill "$(cat port-forward.pid)"
rm port-forward.pid
