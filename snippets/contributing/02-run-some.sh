# ko: 이름이 맞는 항목만 실행합니다. 파일 이름, 그룹, 검증 단계 이름 무엇으로든 고를 수 있습니다.
# en: Only the items whose name matches: a file name, a group or a tier.
scripts/test -k kind-config
# ko: and, or, not으로 조합할 수도 있습니다. 아래는 contributing 그룹(이 페이지의 명령)의 static 단계만 실행합니다.
# en: Combine them with and, or, not: here only the static tier of the contributing group (this page's commands).
scripts/test -k "contributing and static"
