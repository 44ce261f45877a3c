# CPU cores, memory and free disk of the machine that runs kind
nproc
free -h
df -h .
