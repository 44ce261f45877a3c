# Rewrites the expected-output files of the matching snippets from a real run and prints the diff.
scripts/test --update-expected -k run_local
