# ko: 저장한 한도 설정을 지웁니다(다음 재부팅 때 기본값으로 돌아감)
# en: Drop the saved limits (the defaults return at the next reboot)
sudo rm -f /etc/sysctl.d/99-kubeflow-inotify.conf
