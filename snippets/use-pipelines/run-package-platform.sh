# ko: 전체 플랫폼에서 같은 Run을 실행함. 로그인 화면(Dex) 대신 프로필 네임스페이스의 서비스 어카운트 토큰을 씀
# en: The same Run on the full platform. Instead of the Dex login page, a token of the profile's service account
KF_PROFILE=kubeflow-user-example-com
# ko: default-editor는 프로필마다 만들어지는 서비스 어카운트. 토큰은 기본 1시간 동안 유효함
# en: default-editor is the service account every profile gets; the token is valid for one hour by default
KFP_TOKEN="$(kubectl -n "$KF_PROFILE" create token default-editor)"
export KFP_TOKEN
export KFP_NAMESPACE="$KF_PROFILE"
# ko: 전체 플랫폼에서는 Pipelines API가 게이트웨이의 /pipeline 아래에 있음
# en: On the full platform the Pipelines API is under /pipeline of the gateway
export KFP_HOST=http://localhost:8080/pipeline
python3 -m venv kfp-v2
kfp-v2/bin/python -m pip install --quiet kfp==2.17.3
kfp-v2/bin/python pipeline_v2.py
kfp-v2/bin/python run_package.py
