# ko: kind 노드는 모두 호스트 커널을 같이 쓰고, 파드 백여 개는 기본값보다 많은 파일 감시(inotify)가
# ko: 필요합니다. 이 명령은 다음 재부팅 전까지 호스트 설정을 (sudo로) 바꿉니다.
# en: Every kind node shares the host's kernel, and a hundred Pods need more file watches than
# en: the usual defaults allow. This changes the HOST (with sudo) until the next reboot.
sudo sysctl -w fs.inotify.max_user_instances=2280
sudo sysctl -w fs.inotify.max_user_watches=1255360
