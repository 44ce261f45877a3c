# Build the whole platform with kustomize and apply it. The first passes fail by design:
# custom resources are refused until their definitions (CRDs) and webhooks are up, so retry.
# The loop never gives up by itself: if the same error keeps coming back, stop it with Ctrl+C.
while ! kustomize build community-distribution/example | kubectl apply --server-side --force-conflicts -f -; do
  echo "Retrying to apply resources"
  sleep 20
done
