"""The week-6 pipeline in the kfp 2.x style: (a + b) * factor, returned as the pipeline's output."""
from kfp import compiler, dsl

BASE_IMAGE = "python:3.11-slim"


# ko: 데코레이터 하나로 함수가 컴포넌트가 됩니다. 함수 본문은 BASE_IMAGE 안에서 실행됩니다.
# en: One decorator makes a function a component; its body runs in BASE_IMAGE.
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
    # ko: v2에서는 컴포넌트를 호출할 때 키워드 인자만 받습니다.
    # en: v2 accepts keyword arguments only when a component is called.
    total = add(a=a, b=b)
    product = multiply(a=total.output, b=factor)
    return product.output


if __name__ == "__main__":
    compiler.Compiler().compile(pipeline_func=week6_pipeline, package_path="pipeline_v2.yaml")
    print("wrote pipeline_v2.yaml")
