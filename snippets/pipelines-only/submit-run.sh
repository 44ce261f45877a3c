# The SDK in its own virtual environment, at the version the tests use; then submit and wait for the run.
python3 -m venv kfp-v2
kfp-v2/bin/python -m pip install --quiet kfp==2.17.3
kfp-v2/bin/python submit_run.py
