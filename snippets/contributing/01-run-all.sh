# Every check this machine can run: static, local, and the cluster chains where Docker and kind exist.
scripts/test
