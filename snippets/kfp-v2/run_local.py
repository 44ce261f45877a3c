"""Runs the week-6 v2 pipeline on this machine with kfp.local: no cluster, no containers."""
from kfp import local

from pipeline_v2 import week6_pipeline

# ko: 각 컴포넌트는 이 Python의 하위 프로세스로 실행됩니다. use_venv=False로 두면 태스크마다
# ko: venv를 만들고 kfp를 pip로 설치하는 대신, 이미 설치된 패키지를 그대로 씁니다.
# en: Each component runs as a subprocess of this Python; use_venv=False reuses the
# en: installed packages instead of creating a venv and pip-installing kfp per task.
local.init(runner=local.SubprocessRunner(use_venv=False))

run = week6_pipeline(a=1.0, b=2.0, factor=14.0)
print(f"result: {run.output}")
