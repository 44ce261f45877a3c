# ko: 먼저 이 컴퓨터에서 돌릴 수 있는 모든 검사를 실행하고 reports/snippets.json을 씁니다.
# en: First run every check this machine can run; this writes reports/snippets.json.
scripts/test
# ko: 그다음 그 보고서의 배지를 넣어 사이트를 site/에 빌드합니다(미리 보기: scripts/site serve).
# en: Then build the site into site/ with that report's badges (preview it: scripts/site serve).
scripts/site
