"""The week-6 pipeline in the kfp 1.x style of the notes: (a + b) * factor."""
import kfp
from kfp import dsl
from kfp.components import create_component_from_func

BASE_IMAGE = "python:3.11-slim"


# ko: 노트의 API 1: @python_component는 함수에 메타데이터(이름, 설명, 베이스 이미지)만
# ko: 붙입니다. kfp 0.2.6부터 deprecated입니다.
# en: API 1 of the notes: @python_component only attaches metadata (name,
# en: description, base image) to the function; deprecated since kfp 0.2.6.
@dsl.python_component(name="add", description="Adds two numbers.", base_image=BASE_IMAGE)
def add(a: float, b: float) -> float:
    return a + b


@dsl.python_component(name="multiply", description="Multiplies two numbers.", base_image=BASE_IMAGE)
def multiply(a: float, b: float) -> float:
    return a * b


# ko: 데코레이터만으로는 파이프라인에서 부를 수 있는 op가 되지 않습니다. 여기서 각 함수를
# ko: 컴포넌트로 만듭니다(코드는 메타데이터에서 읽은 BASE_IMAGE 안에서 실행됨).
# en: The decorator alone does not make an op a pipeline can call; this turns each
# en: function into a component (its code runs in BASE_IMAGE, read from the metadata).
add_op = create_component_from_func(add)
multiply_op = create_component_from_func(multiply)


# ko: 노트의 API 3: @dsl.pipeline이 파이프라인에 이름을 붙입니다. 안에서 op를 호출하고
# ko: 한 op의 출력을 다른 op의 입력으로 넘기면 그대로 DAG의 간선이 됩니다.
# en: API 3 of the notes: @dsl.pipeline names the pipeline; calling ops inside
# en: it, with one op's output as another's input, draws the edges of the DAG.
@dsl.pipeline(name="week6-pipeline-v1", description="(a + b) * factor, as two steps.")
def week6_pipeline_v1(a: float = 1.0, b: float = 2.0, factor: float = 14.0):
    total = add_op(a, b)
    multiply_op(total.output, factor)


if __name__ == "__main__":
    # ko: 노트의 API 4: 파이프라인을 Kubeflow 대시보드에 올릴 수 있는
    # ko: YAML(Argo Workflow)로 패키징합니다.
    # en: API 4 of the notes: package the pipeline as YAML (an Argo Workflow)
    # en: that the Kubeflow dashboard can upload.
    kfp.compiler.Compiler().compile(week6_pipeline_v1, "pipeline_v1.yaml")
    print("wrote pipeline_v1.yaml")
