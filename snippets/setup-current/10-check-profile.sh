# ko: 예제 사용자의 Profile과, 노트북과 실행이 만들어지는 그 사용자의 네임스페이스.
# en: The example user's Profile and the Namespace it owns, where notebooks and runs live.
kubectl get profiles
kubectl get namespace kubeflow-user-example-com
