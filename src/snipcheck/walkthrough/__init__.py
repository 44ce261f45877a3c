"""Walkthroughs: a page's steps run in page order in one bash session, as a reader on a fresh machine would.

- `page`: the walkthroughs a page marks (`<!-- walkthrough: NAME -->` … `<!-- /walkthrough -->`) and their steps;
- `attempt`: running the reader's one bash session once (`snipcheck.reader`: its clean environment, its
  driver, its step logs) through `runner.run`;
- `check`: each step's outcome against its `walkthrough:` expectations, and the failure as a person reads it;
- `walk`: both attempts (the second is a reader who retries in the same HOME and folder) and the report;
- `items`: the pytest items, one per walkthrough, collected from the Korean pages.
"""
