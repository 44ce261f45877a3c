"""Submit the week-6 v2 pipeline to Kubeflow Pipelines and wait until the run ends."""
import os
import sys

import kfp

from pipeline_v2 import week6_pipeline  # save pipeline_v2.py beside this file

HOST = os.environ.get("KFP_HOST", "http://localhost:8080").rstrip("/")
TIMEOUT_SECONDS = 900


def main() -> int:
    client = kfp.Client(host=HOST)
    # The SDK compiles the function to IR YAML and uploads it in one call.
    result = client.create_run_from_pipeline_func(
        week6_pipeline,
        arguments={"a": 1.0, "b": 2.0, "factor": 14.0},
        experiment_name="week6",
        enable_caching=False,  # a second submission should really run again
    )
    print(f"run {result.run_id} submitted to {HOST}")
    run = client.wait_for_run_completion(result.run_id, timeout=TIMEOUT_SECONDS)
    print(f"run {result.run_id} finished: {run.state}")
    return 0 if run.state == "SUCCEEDED" else 1


if __name__ == "__main__":
    sys.exit(main())
