# ko: 3단계를 실행한 폴더에서 실행합니다. kfctl delete는 로컬 파일만 받으므로, kfctl apply가
# ko: kubeflow-kfctl 폴더에 남긴 KfDef 사본으로 kfctl이 적용한 모든 것을 지웁니다.
# en: Run from the folder where you ran step 3. kfctl delete accepts only a local file, so it reads the
# en: copy of the KfDef that kfctl apply left in kubeflow-kfctl, and removes everything kfctl applied.
(cd kubeflow-kfctl && kfctl delete -V -f kfctl_k8s_istio.v1.2.0.yaml)
