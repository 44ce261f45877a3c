# ko: kind를 돌리는 머신의 CPU 코어 수, 메모리, 남은 디스크
# en: CPU cores, memory and free disk of the machine that runs kind
nproc
free -h
df -h .
