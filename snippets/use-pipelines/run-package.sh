# ko: Pipelines만 설치한 클러스터(포트 포워딩 P6이 켜져 있음)에 컴파일한 파이프라인을 Run으로 실행함
# en: Run the compiled pipeline on the Pipelines-only cluster (with the port-forward of P6 running)
python3 -m venv kfp-v2
kfp-v2/bin/python -m pip install --quiet kfp==2.17.3
# ko: pipeline_v2.py 옆에서 pipeline_v2.yaml을 다시 만듦(이미 있으면 같은 내용으로 덮어씀)
# en: Compile pipeline_v2.yaml again beside pipeline_v2.py (the same content if it is already there)
kfp-v2/bin/python pipeline_v2.py
kfp-v2/bin/python run_package.py
