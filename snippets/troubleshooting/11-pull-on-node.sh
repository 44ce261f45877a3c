# Pull by hand inside a kind node (named <cluster>-control-plane);
# the error shows what the registry answered
docker exec "${NODE:-kind-control-plane}" \
    crictl pull "${IMAGE:?set IMAGE to an image from the list above}"
