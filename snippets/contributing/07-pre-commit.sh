# Once per clone: run the checks below before every commit.
scripts/tool pre-commit install
# Any time: run them on every file.
scripts/tool pre-commit run --all-files
