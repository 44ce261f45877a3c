# Compile the pipeline to pipeline_v1.yaml (needs the activated venv)
python pipeline_v1.py
