# ko: 다음 재부팅 전까지 한도를 올립니다(설치 README의 값)
# en: Raise the limits until the next reboot (values of the install README)
sudo sysctl -w fs.inotify.max_user_instances=2280
sudo sysctl -w fs.inotify.max_user_watches=1255360
