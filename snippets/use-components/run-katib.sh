# ko: Katib 실험을 만들고 끝날 때까지 최대 15분 기다린 뒤, 시도(Trial)들과 가장 좋은 결과를 보여 줌
# en: Create the Katib Experiment, wait up to 15 minutes for it to end, then show its Trials and the best result
kubectl apply -f katib-experiment.yaml
kubectl wait experiment.kubeflow.org/week6-random -n kubeflow-user-example-com \
  --for=condition=Succeeded --timeout=900s
kubectl get trials.kubeflow.org -n kubeflow-user-example-com
kubectl get experiment.kubeflow.org/week6-random -n kubeflow-user-example-com \
  -o jsonpath='{.status.currentOptimalTrial}{"\n"}'
