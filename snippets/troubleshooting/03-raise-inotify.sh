# Raise the limits until the next reboot (values of the install README)
sudo sysctl -w fs.inotify.max_user_instances=2280
sudo sysctl -w fs.inotify.max_user_watches=1255360
