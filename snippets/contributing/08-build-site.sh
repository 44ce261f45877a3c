# Build the site with the latest report (reports/snippets.json), or preview it on 127.0.0.1:8000.
scripts/site
scripts/site serve
