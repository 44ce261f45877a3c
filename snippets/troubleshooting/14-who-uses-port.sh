# Which process listens on local port 8080
# (without sudo, the process column shows only your own processes)
ss -ltnp 'sport = :8080'
