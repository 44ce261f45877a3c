"""The week-6 pipeline in the kfp 1.x style of the notes: (a + b) * factor."""
import kfp
from kfp import dsl
from kfp.components import create_component_from_func

BASE_IMAGE = "python:3.11-slim"


# API 1 of the notes: @python_component only attaches metadata (name,
# description, base image) to the function; deprecated since kfp 0.2.6.
@dsl.python_component(name="add", description="Adds two numbers.", base_image=BASE_IMAGE)
def add(a: float, b: float) -> float:
    return a + b


@dsl.python_component(name="multiply", description="Multiplies two numbers.", base_image=BASE_IMAGE)
def multiply(a: float, b: float) -> float:
    return a * b


# The decorator alone does not make an op a pipeline can call; this turns each
# function into a component (its code runs in BASE_IMAGE, read from the metadata).
add_op = create_component_from_func(add)
multiply_op = create_component_from_func(multiply)


# API 3 of the notes: @dsl.pipeline names the pipeline; calling ops inside
# it, with one op's output as another's input, draws the edges of the DAG.
@dsl.pipeline(name="week6-pipeline-v1", description="(a + b) * factor, as two steps.")
def week6_pipeline_v1(a: float = 1.0, b: float = 2.0, factor: float = 14.0):
    total = add_op(a, b)
    multiply_op(total.output, factor)


if __name__ == "__main__":
    # API 4 of the notes: package the pipeline as YAML (an Argo Workflow)
    # that the Kubeflow dashboard can upload.
    kfp.compiler.Compiler().compile(week6_pipeline_v1, "pipeline_v1.yaml")
    print("wrote pipeline_v1.yaml")
