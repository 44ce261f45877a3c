# ko: TrainJob을 만들고 끝날 때까지 최대 20분 기다린 뒤(PyTorch 이미지가 커서 처음에는 오래 걸림) 로그를 봄
# en: Create the TrainJob, wait up to 20 minutes for it to finish (the PyTorch image is large), then read its log
kubectl apply -f trainjob.yaml
kubectl wait trainjob/week6-train -n kubeflow-user-example-com \
  --for=condition=Complete --timeout=1200s
kubectl logs -n kubeflow-user-example-com -l jobset.sigs.k8s.io/jobset-name=week6-train
