# Keep the limits across reboots, then load them now
printf '%s\n' \
    'fs.inotify.max_user_instances = 2280' \
    'fs.inotify.max_user_watches = 1255360' |
    sudo tee /etc/sysctl.d/99-kubeflow-inotify.conf
sudo sysctl --system
