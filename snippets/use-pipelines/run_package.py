"""Run the compiled week-6 pipeline (pipeline_v2.yaml) in an Experiment of Kubeflow Pipelines and wait for it."""
import os
import sys

import kfp

# ko: 접속할 주소. 기본값은 Pipelines만 설치한 클러스터의 포트 포워딩이고, 전체 플랫폼에서는 셸 단계가 바꿔 줌
# en: Where to connect: by default the port-forward of the Pipelines-only cluster; the platform's shell step changes it
HOST = os.environ.get("KFP_HOST", "http://localhost:8080").rstrip("/")
# ko: 전체 플랫폼에서만 씀: 서비스 어카운트 토큰과 프로필 네임스페이스. Pipelines만 설치했다면 둘 다 비워 둠
# en: Only on the full platform: a service account token and the profile namespace; empty for Pipelines alone
TOKEN = os.environ.get("KFP_TOKEN") or None
NAMESPACE = os.environ.get("KFP_NAMESPACE") or None
PACKAGE = "pipeline_v2.yaml"
TIMEOUT_SECONDS = 900


def main() -> int:
    client = kfp.Client(host=HOST, existing_token=TOKEN)
    # ko: KFP 실험 week6을 찾고, 없으면 만든 뒤 그 안에 Run을 하나 시작함
    # en: Find the KFP Experiment week6 (or create it) and start one Run in it
    result = client.create_run_from_pipeline_package(
        PACKAGE,
        arguments={"a": 1.0, "b": 2.0, "factor": 14.0},
        run_name="week6-from-package",
        experiment_name="week6",
        namespace=NAMESPACE,
        enable_caching=False,
    )
    print(f"run {result.run_id} submitted to {HOST}")
    run = client.wait_for_run_completion(result.run_id, timeout=TIMEOUT_SECONDS)
    print(f"run {result.run_id} finished: {run.state}")
    # ko: 단계(task)마다 상태를 출력함. UI의 그래프에서 보는 상자와 같음
    # en: One line per task with its state: the same boxes the UI's graph shows
    for task in sorted(run.run_details.task_details or [], key=lambda t: t.display_name or ""):
        print(f"  task {task.display_name}: {task.state}")
    return 0 if run.state == "SUCCEEDED" else 1


if __name__ == "__main__":
    sys.exit(main())
