scripts/test    # run every check this machine can run; writes reports/snippets.json
scripts/site    # then build the site into site/ with this run's badges (preview it: scripts/site serve)
