# ko: 이 머신에서 돌릴 수 있는 검사를 모두 실행합니다: static, local, 그리고 Docker와 kind가 있으면 클러스터 체인까지.
# en: Every check this machine can run: static, local, and the cluster chains where Docker and kind exist.
scripts/test
