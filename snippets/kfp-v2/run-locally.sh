# ko: 파이프라인을 이 머신에서 실행합니다(venv를 활성화한 상태에서, run_local.py 옆에 pipeline_v2.py가 있어야 함)
# en: Run the pipeline on this machine (needs the activated venv and pipeline_v2.py beside run_local.py)
python run_local.py
