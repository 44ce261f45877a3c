# Every kind node shares the host's kernel, and a hundred Pods need more file watches than
# the usual defaults allow. This changes the HOST (with sudo) until the next reboot.
sudo sysctl -w fs.inotify.max_user_instances=2280
sudo sysctl -w fs.inotify.max_user_watches=1255360
