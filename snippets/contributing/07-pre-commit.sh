# Once per clone: run the checks below before every commit.
.venvs/tools/bin/pre-commit install
# Any time: run them on every file.
.venvs/tools/bin/pre-commit run --all-files
