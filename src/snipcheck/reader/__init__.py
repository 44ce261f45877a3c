"""The reader's shell, shared by the walkthroughs and the cluster chains (one code path for both):

- `cleanroom`: the reader's environment (fresh HOME, empty working folder, a new login shell's PATH);
- `driver`: the one bash session that pastes the steps in order and records each one's outcome;
- `steplog`: what each step did, read back from the session's log folder;
- `fed`: the same session fed one step at a time, so the harness can check each step before the next
  (a cluster chain checks the cluster it created, probes a port-forward, walks the UI).
"""
