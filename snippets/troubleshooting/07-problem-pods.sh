# ko: Running도 Completed도 아닌 파드(ImagePullBackOff도 아직 Pending 상태임)
# en: Pods neither Running nor Completed (ImagePullBackOff is still Pending)
kubectl get pods -A \
    --field-selector=status.phase!=Running,status.phase!=Succeeded
