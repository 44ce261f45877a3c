# ko: 파일과 checks.yaml 항목을 만든 뒤, 페이지에 넣을 임베드 줄을 출력합니다.
# en: Creates the file and its checks.yaml entry, then prints the lines to embed it.
scripts/new-snippet setup-current/12-list-contexts.sh
