# ko: 포트 포워딩한 게이트웨이(localhost:8080)로 예측을 요청함. 게이트웨이는 Host 헤더로 모델을 고름
# en: Ask for predictions through the forwarded gateway (localhost:8080); the gateway picks the model by Host header
KF_PROFILE=kubeflow-user-example-com
# ko: InferenceService가 상태(status.url)에 적어 둔 주소에서 호스트 이름만 꺼냄
# en: The host name out of the URL the InferenceService reports in status.url
MODEL_HOST="$(kubectl get inferenceservice sklearn-iris -n "$KF_PROFILE" -o jsonpath='{.status.url}' | cut -d / -f 3)"
TOKEN="$(kubectl -n "$KF_PROFILE" create token default-editor)"
# ko: 허용 정책이 퍼지는 데 몇 초 걸릴 수 있어서, 실패하면 5초 간격으로 12번까지 다시 시도함
# en: The allow policy can take a few seconds to spread, so a failure is retried up to 12 times, 5 s apart
curl -sS --fail-with-body --retry 12 --retry-delay 5 --retry-all-errors \
  "http://localhost:8080/v1/models/sklearn-iris:predict" \
  -H "Host: ${MODEL_HOST}" \
  -H "Authorization: Bearer ${TOKEN}" \
  -H "Content-Type: application/json" \
  -d '{"instances": [[6.8, 2.8, 4.8, 1.4], [6.0, 3.4, 4.5, 1.6]]}'
echo
