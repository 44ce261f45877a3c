# The cluster's Kubernetes version: kfctl's manifests need 1.21 or older
kubectl version
# The CRD API versions it serves: no v1beta1 line, no kfctl install
kubectl api-versions | grep '^apiextensions.k8s.io/'
