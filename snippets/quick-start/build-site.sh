scripts/site          # build the site into site/ (scripts/site serve previews it on 127.0.0.1:8000)
scripts/test          # run every check this machine can run
