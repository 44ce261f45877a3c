# ko: 도우미가 만든 파일을 지우고 checks.yaml을 마지막 커밋 상태로 되돌립니다(그 파일의 다른 수정도 함께 사라집니다).
# en: Remove the file the helper made and restore checks.yaml as last committed (other edits to it go too).
rm snippets/setup-current/12-list-contexts.sh
git restore snippets/setup-current/checks.yaml
