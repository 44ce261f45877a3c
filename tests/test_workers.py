"""-n auto: workers for the whole suite and for whatever the cache cannot answer; one process for a selection
whose items the last runs timed at too little for workers to pay off (snipcheck.workers)."""

from __future__ import annotations

import json

import pytest

from snipcheck import workers

pytest_plugins = ["pytester"]

PLUGIN = ("-p", "snipcheck.plugin", "--report", "r.json")
AUTO = (*PLUGIN, "-n", "auto")
ONE_PROCESS = "snipcheck: one process, no workers: the {} selected item(s) took"
# What a full collection of the project below records (its -k names), and short last durations.
NAMES = {
    **{f"test_module.py::test_quick[{n}]": ["parametrize", "test_module.py", f"test_quick[{n}]"] for n in range(3)},
    "test_module.py::test_other": ["test_module.py", "test_other"],
}


@pytest.fixture
def project(pytester):
    pytester.makepyfile(
        test_module="""
        import pytest

        @pytest.mark.parametrize("n", range(3))
        def test_quick(n):
            pass

        def test_other():
            pass
        """
    )
    pytester.makeini("[pytest]\n")
    return pytester


def cached(pytester, key: str) -> dict:
    return json.loads((pytester.path / ".pytest_cache" / "v" / key).read_text(encoding="utf-8"))


def seed(pytester, seconds: float = 0.01, names: dict | None = None) -> None:
    """The cache as the last full run would leave it, each item timed at `seconds`."""
    folder = pytester.path / ".pytest_cache" / "v" / "snipcheck"
    folder.mkdir(parents=True, exist_ok=True)
    names = names or NAMES
    (folder / "names").write_text(json.dumps(names), encoding="utf-8")
    (folder / "durations").write_text(json.dumps(dict.fromkeys(NAMES, seconds)), encoding="utf-8")


def test_a_timed_small_selection_runs_in_one_process_and_says_why(project):
    first = project.runpytest_subprocess(*PLUGIN, "-n", "2")  # the whole suite, on workers: it times every item
    assert "created: 2/2 workers" in first.stdout.str() and first.ret == 0
    assert cached(project, workers.NAMES_KEY) == {node: sorted(words) for node, words in NAMES.items()}
    assert set(cached(project, workers.DURATIONS_KEY)) == set(NAMES)
    again = project.runpytest_subprocess(*AUTO, "-k", "quick and not 1")
    assert ONE_PROCESS.format(2) in again.stderr.str() and "created: " not in again.stdout.str()
    again.assert_outcomes(passed=2, deselected=2)  # the estimate selected what pytest selects


def test_items_that_took_long_keep_the_workers(project, capsys):
    seed(project, seconds=workers.PAY_OFF)
    config = project.parseconfig(*AUTO, "-k", "quick")
    estimate = workers.estimate_of(config)
    assert estimate.items == 3 and estimate.work == 3 * workers.PAY_OFF and not estimate.one_process
    assert workers.count(config) == workers.default_count() and capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "args",
    [
        pytest.param((), id="the whole suite"),
        pytest.param(("-k", "quick", "-p", "no:cacheprovider"), id="no cache"),
        pytest.param(("-k", "quick", "--changed"), id="--changed"),
        pytest.param(("-k", "quick", "-m", "not slow"), id="-m"),
        pytest.param(("-k", "quick", "--cache-clear"), id="--cache-clear"),
        pytest.param(("-k", "new"), id="an item never timed"),
        pytest.param(("/",), id="a path outside the rootdir"),
    ],
)
def test_what_the_cache_cannot_answer_keeps_the_workers(project, args):
    seed(project, names={**NAMES, "test_new.py::test_new": ["test_new", "test_new.py"]})
    assert workers.estimate_of(project.parseconfig(*AUTO, *args)) is None


def test_no_cache_keeps_the_workers(project):
    assert workers.estimate_of(project.parseconfig(*AUTO, "-k", "quick")) is None


def test_paths_and_keywords_narrow_the_estimate(project):
    seed(project)
    assert workers.estimate_of(project.parseconfig(*AUTO, "test_module.py")).items == 4
    assert workers.estimate_of(project.parseconfig(*AUTO, "test_module.py::test_other")).items == 1
    estimate = workers.estimate_of(project.parseconfig(*AUTO, "test_module.py", "-k", "quick and not 2"))
    assert estimate.items == 2 and estimate.one_process and estimate.work == pytest.approx(0.02)
