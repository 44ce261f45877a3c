"""Builds the add component of pipeline_v1.py into its own image (kfp 1.x, as in the notes)."""
from kfp import compiler

from pipeline_v1 import add

# ko: 직접 쓸 값으로 바꾸세요: 클러스터가 push할 수 있는 레지스트리와,
# ko: 빌드 컨텍스트를 올릴 Google Cloud Storage 폴더입니다.
# en: Replace these with your own: a registry the cluster may push to, and a
# en: Google Cloud Storage folder for the build context.
TARGET_IMAGE = "gcr.io/my-project/week6-add:v1"
STAGING_GCS_PATH = "gs://my-bucket/kfp-build-staging"

if __name__ == "__main__":
    # ko: 노트의 API 2. kfp가 Dockerfile을 만들어(@python_component 메타데이터의 베이스
    # ko: 이미지 + 함수 코드) STAGING_GCS_PATH에 올리고, 현재 kubeconfig의 클러스터에
    # ko: Kaniko 파드를 띄웁니다. 이 파드가 이미지를 빌드해 TARGET_IMAGE로 push합니다.
    # en: API 2 of the notes. kfp writes a Dockerfile (base image from the
    # en: @python_component metadata plus the function's code), uploads it to
    # en: STAGING_GCS_PATH, then starts a Kaniko Pod in the cluster of the current
    # en: kubeconfig, which builds the image and pushes it to TARGET_IMAGE.
    add_op = compiler.build_python_component(
        component_func=add,
        target_image=TARGET_IMAGE,
        staging_gcs_path=STAGING_GCS_PATH,
        namespace="kubeflow",
        target_component_file="add_component.yaml",
    )
    print("built", add_op.component_spec.implementation.container.image)
