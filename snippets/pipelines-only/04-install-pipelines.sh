# ko: Kubeflow 26.03.1에 들어 있는 버전의 Kubeflow Pipelines를 단독으로 설치합니다.
# ko: kubectl이 Git 태그에서 매니페스트를 직접 가져오므로 머신에 git이 있어야 합니다.
# en: Kubeflow Pipelines standalone, at the version Kubeflow 26.03.1 ships. kubectl fetches the
# en: manifests from the Git tag itself (this needs git on the machine).
PIPELINE_VERSION=2.16.1
KFP_MANIFESTS="github.com/kubeflow/pipelines/manifests/kustomize"
# ko: 먼저 클러스터 범위의 리소스: kubeflow 네임스페이스, CRD, 클러스터 롤.
# en: First the cluster-wide part: the kubeflow Namespace, CRDs and cluster roles.
kubectl apply -k "${KFP_MANIFESTS}/cluster-scoped-resources?ref=${PIPELINE_VERSION}"
# ko: 두 번째 부분의 커스텀 리소스는 CRD가 준비되기 전에는 거부되므로 기다립니다.
# en: Custom resources of the second part are refused until their CRDs are served.
kubectl wait --for=condition=established --timeout=60s crd --all
# ko: 그다음 Pipelines 본체를 MySQL, 오브젝트 스토어와 함께 kubeflow 네임스페이스에 설치합니다.
# en: Then Pipelines itself, with its MySQL and object store, in the kubeflow Namespace.
kubectl apply -k "${KFP_MANIFESTS}/env/platform-agnostic?ref=${PIPELINE_VERSION}"
