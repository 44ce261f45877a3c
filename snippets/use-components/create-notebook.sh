# ko: 노트북을 만들고, 서버 파드가 준비될 때까지 최대 10분 기다림(이미지가 커서 처음에는 몇 분 걸림)
# en: Create the notebook and wait up to 10 minutes until its server Pod is ready (a large image: minutes at first)
kubectl apply -f notebook.yaml
kubectl wait notebook/week6 -n kubeflow-user-example-com \
  --for=jsonpath='{.status.readyReplicas}'=1 --timeout=600s
# ko: 노트북은 StatefulSet으로 돌기 때문에 파드 이름은 week6-0
# en: A notebook runs as a StatefulSet, so its Pod is week6-0
kubectl get notebook week6 -n kubeflow-user-example-com
kubectl get pod week6-0 -n kubeflow-user-example-com
