# ko: 마지막 v1 SDK를 v2와 따로 설치합니다. 둘은 한 환경에 같이 둘 수 없습니다.
# ko: kfp 1.8.24는 Python 3.13에서 빠진 lib2to3가 필요하므로 Python 3.12 이하를 쓰세요.
# en: The last v1 SDK, kept apart from v2: the two cannot share an environment.
# en: kfp 1.8.24 needs lib2to3, which Python 3.13 removed: use Python 3.12 or older.
python3 -c 'import sys; assert sys.version_info < (3, 13), "kfp 1.8.24 needs Python 3.12 or older"'
python3 -m venv kfp-v1
kfp-v1/bin/python -m pip install --quiet kfp==1.8.24
kfp-v1/bin/python -c 'import kfp; print("kfp", kfp.__version__)'
