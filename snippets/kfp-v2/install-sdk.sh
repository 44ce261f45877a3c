# ko: 현재 SDK(v2)를 전용 가상 환경에 설치합니다.
# en: The current SDK (v2) in its own virtual environment.
python3 -m venv kfp-v2
kfp-v2/bin/python -m pip install --quiet kfp==2.17.3
kfp-v2/bin/python -c 'import kfp; print("kfp", kfp.__version__)'
