# ko: 클러스터의 쿠버네티스 버전: kfctl 매니페스트는 1.21 이하가 필요합니다
# en: The cluster's Kubernetes version: kfctl's manifests need 1.21 or older
kubectl version
# ko: 클러스터가 제공하는 CRD API 버전: v1beta1 줄이 없으면 kfctl로 설치할 수 없습니다
# en: The CRD API versions it serves: no v1beta1 line, no kfctl install
kubectl api-versions | grep '^apiextensions.k8s.io/'
