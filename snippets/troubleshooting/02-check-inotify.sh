# inotify limits of this machine (all kind nodes share its kernel)
sysctl fs.inotify.max_user_instances fs.inotify.max_user_watches
