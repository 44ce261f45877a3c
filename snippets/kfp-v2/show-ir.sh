# ko: IR YAML의 머리말에 파이프라인 요약(이름, 입력, 출력)이 있습니다
# en: The header of the IR YAML sums up the pipeline: its name, inputs and output
head -n 9 pipeline_v2.yaml
