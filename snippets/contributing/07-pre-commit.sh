# ko: 클론마다 한 번만: 이후 커밋할 때마다 아래 검사가 먼저 돕니다.
# en: Once per clone: run the checks below before every commit.
scripts/tool pre-commit install
# ko: 필요할 때 언제든: 모든 파일에 대해 검사를 돌립니다.
# en: Any time: run them on every file.
scripts/tool pre-commit run --all-files
