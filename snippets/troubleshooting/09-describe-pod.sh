# ko: 위 목록을 보고 POD(kubeflow가 아니면 NAMESPACE도)를 설정하세요.
# ko: 출력 끝의 Events에 무엇이 잘못됐는지 나옵니다
# en: Set POD (and NAMESPACE, if not kubeflow) from the list above;
# en: the Events at the end of the output say what went wrong
kubectl describe pod "${POD:?set POD to a pod name first}" \
    --namespace "${NAMESPACE:-kubeflow}"
