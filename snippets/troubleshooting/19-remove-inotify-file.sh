# Drop the saved limits (the defaults return at the next reboot)
sudo rm -f /etc/sysctl.d/99-kubeflow-inotify.conf
