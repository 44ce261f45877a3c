"""Walkthroughs: a page's steps run in page order in one bash session, as a reader on a fresh machine would.

- `page`: the walkthroughs a page marks (`<!-- walkthrough: NAME -->` … `<!-- /walkthrough -->`) and their steps;
- `cleanroom`: the reader's environment (fresh HOME, empty working folder, a new login shell's PATH);
- `driver`: the one bash session that pastes the steps in order and records each one's outcome;
- `attempt`: running that session once (through `runner.run`) and reading what each step did;
- `check`: each step's outcome against its `walkthrough:` expectations, and the failure as a person reads it;
- `walk`: both attempts (the second is a reader who retries in the same HOME and folder) and the report;
- `items`: the pytest items, one per walkthrough, collected from the Korean pages.
"""
