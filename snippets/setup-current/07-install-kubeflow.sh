# ko: kustomize로 플랫폼 전체를 빌드해 적용합니다. 처음 몇 번은 실패하는 게 정상입니다.
# ko: 정의(CRD)와 웹훅이 올라오기 전에는 커스텀 리소스가 거부되므로 다시 시도합니다.
# ko: 루프는 스스로 멈추지 않으니, 같은 오류가 계속 나오면 Ctrl+C로 멈추세요.
# en: Build the whole platform with kustomize and apply it. The first passes fail by design:
# en: custom resources are refused until their definitions (CRDs) and webhooks are up, so retry.
# en: The loop never gives up by itself: if the same error keeps coming back, stop it with Ctrl+C.
while ! kustomize build community-distribution/example | kubectl apply --server-side --force-conflicts -f -; do
  echo "Retrying to apply resources"
  sleep 20
done
