# The last v1 SDK, kept apart from v2: the two cannot share an environment.
# kfp 1.8.24 needs lib2to3, which Python 3.13 removed: use Python 3.12 or older.
python3 -c 'import sys; assert sys.version_info < (3, 13), "kfp 1.8.24 needs Python 3.12 or older"'
python3 -m venv kfp-v1
kfp-v1/bin/python -m pip install --quiet kfp==1.8.24
kfp-v1/bin/python -c 'import kfp; print("kfp", kfp.__version__)'
