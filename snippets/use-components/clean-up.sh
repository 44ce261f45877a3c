# ko: 이 페이지에서 만든 것을 모두 지움. 클러스터 자체는 설치 페이지의 마지막 단계로 지움
# en: Delete everything this page created; the cluster itself goes with the setup page's last step
kubectl delete -f trainjob.yaml -f inference-service.yaml -f allow-predictor.yaml \
  -f katib-experiment.yaml -f notebook.yaml --ignore-not-found
