# ko: main과의 merge base 이후 바뀐 내용이 영향을 주는 것만 실행합니다(커밋 전 파일과 새 파일도 포함).
# en: Only what your changes affect, against the merge base with main (uncommitted and new files count).
scripts/test --changed
# ko: 기준을 바꾸려면 브랜치, 태그, 커밋 중 하나를 지정합니다.
# en: Against another base: a branch, a tag or a commit.
scripts/test --changed HEAD
