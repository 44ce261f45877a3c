# ko: 모델 서버와 접근 허용 정책을 적용하고, InferenceService가 Ready가 될 때까지 최대 10분 기다림
# en: Apply the model server and the access policy, and wait up to 10 minutes until the InferenceService is Ready
kubectl apply -f inference-service.yaml -f allow-predictor.yaml
kubectl wait inferenceservice/sklearn-iris -n kubeflow-user-example-com \
  --for=condition=Ready --timeout=600s
kubectl get inferenceservice sklearn-iris -n kubeflow-user-example-com
