# The header of the IR YAML sums up the pipeline: its name, inputs and output
head -n 9 pipeline_v2.yaml
