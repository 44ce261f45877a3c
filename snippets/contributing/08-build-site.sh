# ko: 최신 보고서(reports/snippets.json)의 배지를 넣어 사이트를 site/에 빌드합니다.
# en: Build the site into site/ with the badges of the latest report (reports/snippets.json).
scripts/site
