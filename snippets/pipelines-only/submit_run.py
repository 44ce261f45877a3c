"""Submit the week-6 v2 pipeline to Kubeflow Pipelines and wait until the run ends."""
import os
import sys

import kfp

# ko: pipeline_v2.py를 이 파일 옆에 저장해 두세요
# en: Save pipeline_v2.py beside this file.
from pipeline_v2 import week6_pipeline

HOST = os.environ.get("KFP_HOST", "http://localhost:8080").rstrip("/")
TIMEOUT_SECONDS = 900


def main() -> int:
    client = kfp.Client(host=HOST)
    # ko: SDK가 호출 한 번으로 함수를 IR YAML로 컴파일하고 업로드까지 합니다.
    # en: The SDK compiles the function to IR YAML and uploads it in one call.
    result = client.create_run_from_pipeline_func(
        week6_pipeline,
        arguments={"a": 1.0, "b": 2.0, "factor": 14.0},
        experiment_name="week6",
        # ko: 두 번째로 제출해도 캐시 없이 정말 다시 실행되게 합니다
        # en: A second submission should really run again.
        enable_caching=False,
    )
    print(f"run {result.run_id} submitted to {HOST}")
    run = client.wait_for_run_completion(result.run_id, timeout=TIMEOUT_SECONDS)
    print(f"run {result.run_id} finished: {run.state}")
    return 0 if run.state == "SUCCEEDED" else 1


if __name__ == "__main__":
    sys.exit(main())
