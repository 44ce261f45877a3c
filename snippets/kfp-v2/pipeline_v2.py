"""The week-6 pipeline in the kfp 2.x style: (a + b) * factor, returned as the pipeline's output."""
from kfp import compiler, dsl

BASE_IMAGE = "python:3.11-slim"


# One decorator makes a function a component; its body runs in BASE_IMAGE.
@dsl.component(base_image=BASE_IMAGE)
def add(a: float, b: float) -> float:
    """Adds two numbers."""
    return a + b


@dsl.component(base_image=BASE_IMAGE)
def multiply(a: float, b: float) -> float:
    """Multiplies two numbers."""
    return a * b


@dsl.pipeline(name="week6-pipeline", description="(a + b) * factor, as two steps.")
def week6_pipeline(a: float = 1.0, b: float = 2.0, factor: float = 14.0) -> float:
    # v2 accepts keyword arguments only when a component is called.
    total = add(a=a, b=b)
    product = multiply(a=total.output, b=factor)
    return product.output


if __name__ == "__main__":
    compiler.Compiler().compile(pipeline_func=week6_pipeline, package_path="pipeline_v2.yaml")
    print("wrote pipeline_v2.yaml")
