# Compile the pipeline to pipeline_v2.yaml (needs the activated venv)
python pipeline_v2.py
