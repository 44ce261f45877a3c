# ko: 재부팅 후에도 한도가 유지되게 저장하고, 지금 바로 적용합니다
# en: Keep the limits across reboots, then load them now
printf '%s\n' \
    'fs.inotify.max_user_instances = 2280' \
    'fs.inotify.max_user_watches = 1255360' |
    sudo tee /etc/sysctl.d/99-kubeflow-inotify.conf
sudo sysctl --system
