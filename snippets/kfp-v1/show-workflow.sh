# ko: pipeline_v1.yaml이 두 단계짜리 Argo Workflow임을 보여 주는 줄들
# en: The lines of pipeline_v1.yaml that make it an Argo Workflow of two steps
grep -n -E 'apiVersion|kind:|generateName|image:|dependencies' pipeline_v1.yaml
