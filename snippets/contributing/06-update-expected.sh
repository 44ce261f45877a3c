# ko: 이름이 맞는 항목을 실제로 실행해 기대 출력 파일을 다시 쓰고, 달라진 부분(diff)을 보여 줍니다.
# ko: 아래는 pipelines-sdk 페이지의 kfp-v2 워크스루로, show-ir.out과 run_local.out을 다시 씁니다.
# en: Rewrites the expected-output files of the matching items from a real run and prints the diff;
# en: here the kfp-v2 walkthrough of the pipelines-sdk page, which rewrites show-ir.out and run_local.out.
scripts/test --update-expected -k "walkthrough and kfp-v2"
