scripts/site    # build the site into site/ (preview it: scripts/site serve)
scripts/test    # run every check this machine can run
