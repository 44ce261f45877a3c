# The lines of pipeline_v1.yaml that make it an Argo Workflow of two steps
grep -n -E 'apiVersion|kind:|generateName|image:|dependencies' pipeline_v1.yaml
