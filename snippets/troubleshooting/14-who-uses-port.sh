# ko: 로컬 포트 8080을 어떤 프로세스가 쓰고 있는지
# ko: (sudo 없이 실행하면 프로세스 열에는 내 프로세스만 보입니다)
# en: Which process listens on local port 8080
# en: (without sudo, the process column shows only your own processes)
ss -ltnp 'sport = :8080'
