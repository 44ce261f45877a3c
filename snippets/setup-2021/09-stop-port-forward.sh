# Stop exactly the process started above, and no other kubectl.
kill "$(cat port-forward.pid)"
rm port-forward.pid
