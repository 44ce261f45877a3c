# ko: 파이프라인을 pipeline_v2.yaml로 컴파일합니다(venv를 활성화한 상태여야 함)
# en: Compile the pipeline to pipeline_v2.yaml (needs the activated venv)
python pipeline_v2.py
