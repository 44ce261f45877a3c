# Run the pipeline on this machine (needs the activated venv and pipeline_v2.py beside run_local.py)
python run_local.py
