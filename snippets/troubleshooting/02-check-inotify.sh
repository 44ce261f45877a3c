# inotify limits of this machine (all kind nodes share its kernel);
# read from /proc, since sysctl is in /usr/sbin, which a user's PATH may lack
grep -H . /proc/sys/fs/inotify/max_user_instances /proc/sys/fs/inotify/max_user_watches
