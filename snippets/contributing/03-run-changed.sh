# Only what your changes affect, against the merge base with main (uncommitted and new files count).
scripts/test --changed
# Against another base: a branch, a tag or a commit.
scripts/test --changed HEAD
