# ko: 테스트와 같은 버전의 SDK를 전용 가상 환경에 설치한 뒤, 실행을 제출하고 끝날 때까지 기다립니다.
# en: The SDK in its own virtual environment, at the version the tests use; then submit and wait for the run.
python3 -m venv kfp-v2
kfp-v2/bin/python -m pip install --quiet kfp==2.17.3
kfp-v2/bin/python submit_run.py
