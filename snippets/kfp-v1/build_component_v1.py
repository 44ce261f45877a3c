"""Builds the add component of pipeline_v1.py into its own image (kfp 1.x, as in the notes)."""
from kfp import compiler

from pipeline_v1 import add

# Replace these with your own: a registry the cluster may push to, and a
# Google Cloud Storage folder for the build context.
TARGET_IMAGE = "gcr.io/my-project/week6-add:v1"
STAGING_GCS_PATH = "gs://my-bucket/kfp-build-staging"

if __name__ == "__main__":
    # API 2 of the notes. kfp writes a Dockerfile (base image from the
    # @python_component metadata plus the function's code), uploads it to
    # STAGING_GCS_PATH, then starts a Kaniko Pod in the cluster of the current
    # kubeconfig, which builds the image and pushes it to TARGET_IMAGE.
    add_op = compiler.build_python_component(
        component_func=add,
        target_image=TARGET_IMAGE,
        staging_gcs_path=STAGING_GCS_PATH,
        namespace="kubeflow",
        target_component_file="add_component.yaml",
    )
    print("built", add_op.component_spec.implementation.container.image)
