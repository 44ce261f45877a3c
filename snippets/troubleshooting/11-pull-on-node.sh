# ko: kind 노드(이름은 <클러스터>-control-plane) 안에서 직접 pull해 봅니다.
# ko: 오류 메시지에 레지스트리가 뭐라고 답했는지 나옵니다
# en: Pull by hand inside a kind node (named <cluster>-control-plane);
# en: the error shows what the registry answered
docker exec "${NODE:-kind-control-plane}" \
    crictl pull "${IMAGE:?set IMAGE to an image from the list above}"
