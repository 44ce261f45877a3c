# ko: 이 머신의 inotify 한도(kind 노드는 모두 이 커널을 같이 씀).
# ko: sysctl은 일반 사용자 PATH에 없을 수 있는 /usr/sbin에 있어서 /proc에서 직접 읽습니다
# en: inotify limits of this machine (all kind nodes share its kernel);
# en: read from /proc, since sysctl is in /usr/sbin, which a user's PATH may lack
grep -H . /proc/sys/fs/inotify/max_user_instances /proc/sys/fs/inotify/max_user_watches
