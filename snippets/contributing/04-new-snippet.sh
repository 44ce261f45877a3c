# Creates the file and its checks.yaml entry, then prints the lines to embed it.
scripts/new-snippet setup-current/12-list-contexts.sh
