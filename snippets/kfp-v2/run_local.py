"""Runs the week-6 v2 pipeline on this machine with kfp.local: no cluster, no containers."""
from kfp import local

from pipeline_v2 import week6_pipeline

# Each component runs as a subprocess of this Python; use_venv=False reuses the
# installed packages instead of creating a venv and pip-installing kfp per task.
local.init(runner=local.SubprocessRunner(use_venv=False))

run = week6_pipeline(a=1.0, b=2.0, factor=14.0)
print(f"result: {run.output}")
