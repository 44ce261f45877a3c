# ko: 고치는 동안 http://127.0.0.1:8000/week6-kubeflow/에서 미리 봅니다. 파일을 저장하면 다시 빌드하고, Ctrl+C로 멈춥니다.
# en: Preview it on http://127.0.0.1:8000/week6-kubeflow/ while you edit: it rebuilds on every save; stop it with Ctrl+C.
scripts/site serve
