"""The manifest: every snippets/<group>/checks.yaml, validated into Snippet and Chain records."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NoReturn

from . import schema, yamlines
from .errors import ManifestError

TIERS = ("static", "local", "cluster")
NEEDS = ("network", "pypi", "docker", "kind", "cluster", "kubectl", "sudo")
MANIFEST_NAME = "checks.yaml"
NOT_SNIPPETS = {MANIFEST_NAME, "README.md"}
LANGS = {".sh": "bash", ".py": "python", ".yaml": "yaml", ".yml": "yaml", ".txt": "text", ".out": "text"}
DEFAULT_TIMEOUT = {"static": 60, "local": 300, "cluster": 900}
RUNTIMES = {"bash": ("bash",), "python": ("python", "kfp-v1", "kfp-v2"), "yaml": (), "text": ()}

TIER_KEYS = {
    "static": {"timeout", "schema", "runtime"},
    "local": {"timeout", "needs", "runtime", "args", "env", "expect"},
    "cluster": {"timeout", "needs", "runtime", "args", "env", "expect", "background", "chain", "after", "ui_walk"},
}
EXPECT_KEYS = {"exit", "stdout", "stderr", "output_file", "files"}
MATCHERS = ("contains", "not_contains", "regex")
CHAIN_KEYS = {"name", "description", "kind", "node_image", "needs", "resources", "include"}


@dataclass(frozen=True)
class Matcher:
    verb: str  # contains | not_contains | regex
    text: str
    line: int


@dataclass(frozen=True)
class FileExpect:
    path: str
    contains: tuple[str, ...] = ()
    yaml: dict = field(default_factory=dict)  # dotted path ("spec.templates.*.name") -> value(s)
    line: int = 0


@dataclass(frozen=True)
class Expect:
    exit: int = 0
    stdout: tuple[Matcher, ...] = ()
    stderr: tuple[Matcher, ...] = ()
    output_file: str | None = None  # relative to the group folder; compared line by line, "..." elides
    files: tuple[FileExpect, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Background:
    ready: dict  # {"tcp": 8080} or {"http": "http://127.0.0.1:8080/", "status": [200, 302]}
    deadline: float
    line: int
    keep: bool = False  # keep it running for later steps (else stopped, as Ctrl+C, once ready)
    export: str | None = None  # names the ready address for the harness's UI walk (never given to steps)
    terminal: str = "new"  # new: the page has the reader run it in a new terminal; this: it holds this one

    @property
    def step_kind(self) -> str:
        """How the reader's session runs it (reader/driver.py): in a new terminal, or holding this one."""
        return "job" if self.terminal == "new" else "hold"


@dataclass(frozen=True)
class UiWalk:
    """A browser walk of the chain's web UI, run by the cluster tier after its step passes (`ui_walk:`)."""

    name: str  # a walk the cluster tier knows (cluster/ui_walk.py WALKS; the schema lists the names)
    timeout: float  # seconds for the whole walk; past it its process group is killed
    line: int = 0


@dataclass(frozen=True)
class WalkthroughCheck:
    """What a snippet must do as a step of a page's walkthrough (the `walkthrough:` key of its entry)."""

    timeout: float = 300
    expect: Expect = Expect()
    line: int = 0
    background: Background | None = None  # the reader leaves it running in a new terminal (a server)
    needs: tuple[str, ...] = ()  # what the step needs beyond its local tier's needs (pypi for an install)


@dataclass(frozen=True)
class Tier:
    name: str
    applies: bool
    reason: str | None = None  # why the tier does not apply (when applies is False), in English
    reason_ko: str | None = None  # the same in Korean, for the Korean pages
    timeout: float = 60
    needs: tuple[str, ...] = ()
    runtime: str | None = None
    args: tuple[str, ...] = ()
    env: dict = field(default_factory=dict)
    expect: Expect = Expect()
    background: Background | None = None
    schema: str | None = None
    line: int = 0
    chain: str | None = None  # cluster tier only: the chain (declared in another group) this step joins
    after: str | None = None  # ... and the step of that chain it runs after
    ui_walk: UiWalk | None = None  # cluster tier only: a browser walk after the step passes


@dataclass(frozen=True)
class Join:
    """A cluster step of a group without a chain that joins a chain declared in another group."""

    snippet: str  # the joining step's id
    chain: str
    after: str  # a file of the chain's group, or "group/file" of another joined step
    manifest: Path
    line: int  # of the entry's `chain:` key


@dataclass(frozen=True)
class Snippet:
    id: str  # path below snippets/, e.g. "setup-2021/05-port-forward.sh"
    path: Path
    group: str
    lang: str
    tiers: dict  # tier name -> Tier
    manifest: Path
    line: int
    chain: str | None = None
    walkthrough: WalkthroughCheck = WalkthroughCheck()

    def tier(self, name: str) -> Tier:
        return self.tiers[name]


@dataclass(frozen=True)
class Chain:
    name: str
    group: str
    kind: str
    node_image: str
    needs: tuple[str, ...]
    steps: tuple[str, ...]  # snippet ids, in order
    manifest: Path
    line: int
    description: str = ""
    resources: dict = field(default_factory=dict)  # {"cpus": 4, "memory_gib": 12}
    include: tuple[str, ...] = ()  # other groups whose files are copied into the chain's working folder
    joined: tuple[str, ...] = ()  # groups with steps that join this chain (copied into its working folder too)

    @property
    def folders(self) -> tuple[str, ...]:
        """Every group copied into the chain's working folder: its own, its includes, the groups joining it."""
        return tuple(dict.fromkeys((self.group, *self.include, *self.joined)))


@dataclass
class Manifest:
    root: Path  # the snippets/ folder
    snippets: dict = field(default_factory=dict)  # id -> Snippet
    chains: dict = field(default_factory=dict)  # name -> Chain
    companions: dict = field(default_factory=dict)  # id of an expected-output file -> id of its snippet
    joins: list = field(default_factory=list)  # Join records, groups in path order, entries in file order
    errors: dict = field(default_factory=dict)  # checks.yaml path -> its first ManifestError (load_all only)

    def declared(self) -> set[str]:
        return set(self.snippets) | set(self.companions)

    def group(self, manifest_path: Path) -> Manifest:
        """The part one checks.yaml contributes (the plugin collects group by group): its snippets and
        companions, and every chain it declares or joins, as assembled over all groups."""
        own = {k: s for k, s in self.snippets.items() if s.manifest == manifest_path}
        names = {c.name for c in self.chains.values() if c.manifest == manifest_path}
        names |= {s.chain for s in own.values() if s.chain}
        return Manifest(
            root=self.root,
            snippets=own,
            chains={n: c for n, c in self.chains.items() if n in names},
            companions={k: v for k, v in self.companions.items() if v in own},
            joins=[j for j in self.joins if j.manifest == manifest_path],
        )


def _fail(where, line, message) -> NoReturn:
    raise ManifestError(where, line, message)


def _check_keys(mapping, allowed, where, what):
    for key in mapping:
        if key not in allowed:
            hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            also = f" (did you mean {hint[0]!r}?)" if hint else f" (allowed: {', '.join(sorted(allowed))})"
            _fail(where, mapping.line_of(key), f"unknown key {key!r} in {what}{also}")


def _want(value, kind, where, line, what):
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        _fail(where, line, f"{what} must be a {names}, not {type(value).__name__}")
    return value


def _needs(value, where, line):
    _want(value, list, where, line, "needs")
    for need in value:
        if need not in NEEDS:
            _fail(where, line, f"unknown need {need!r} (known: {', '.join(NEEDS)})")
    return tuple(value)


def _matchers(value, where, line, what):
    _want(value, list, where, line, what)
    out = []
    for item in value:
        item_line = getattr(item, "line", line)
        if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in MATCHERS:
            _fail(where, item_line, f"each {what} entry is one of {', '.join(MATCHERS)}: <text>")
        verb, text = next(iter(item.items()))
        _want(text, str, where, item_line, f"{what} {verb}")
        if verb == "regex":
            try:
                re.compile(text)
            except re.error as exc:
                _fail(where, item_line, f"bad regex {text!r}: {exc}")
        out.append(Matcher(verb, text, item_line))
    return tuple(out)


def _files(value, where, line):
    _want(value, list, where, line, "expect.files")
    out = []
    for item in value:
        item_line = getattr(item, "line", line)
        _want(item, dict, where, item_line, "an expect.files entry")
        _check_keys(item, {"path", "contains", "yaml"}, where, "expect.files")
        if "path" not in item:
            _fail(where, item_line, "an expect.files entry needs a path")
        contains = _want(item.get("contains", []), list, where, item_line, "contains")
        yaml_checks = _want(item.get("yaml", {}), dict, where, item_line, "yaml")
        out.append(FileExpect(str(item["path"]), tuple(map(str, contains)), dict(yaml_checks), item_line))
    return tuple(out)


def _expect(value, where, line, group_dir):
    _want(value, dict, where, line, "expect")
    _check_keys(value, EXPECT_KEYS, where, "expect")
    exit_code = value.get("exit", 0)
    if not isinstance(exit_code, int) or isinstance(exit_code, bool):
        _fail(where, value.line_of("exit"), "expect.exit must be a whole number")
    output_file = value.get("output_file")
    if output_file is not None and not (group_dir / str(output_file)).is_file():
        _fail(where, value.line_of("output_file"), f"expected-output file {output_file!r} does not exist")
    return Expect(
        exit=exit_code,
        stdout=_matchers(value.get("stdout", []), where, value.line_of("stdout"), "expect.stdout"),
        stderr=_matchers(value.get("stderr", []), where, value.line_of("stderr"), "expect.stderr"),
        output_file=str(output_file) if output_file is not None else None,
        files=_files(value.get("files", []), where, value.line_of("files")),
        line=value.line,
    )


def _background(value, where, line):
    _want(value, dict, where, line, "background")
    _check_keys(value, {"ready", "deadline", "keep", "export", "terminal"}, where, "background")
    ready = _want(value.get("ready"), dict, where, line, "background.ready")
    if not ({"tcp"} <= set(ready) or {"http"} <= set(ready)):
        _fail(where, value.line_of("ready"), "background.ready needs tcp: <port> or http: <url>")
    deadline = _want(value.get("deadline", 60), (int, float), where, value.line_of("deadline"), "deadline")
    keep = _want(value.get("keep", False), bool, where, value.line_of("keep"), "background.keep")
    export = value.get("export")
    if export is not None and not re.fullmatch(r"[A-Z_][A-Z0-9_]*", str(export)):
        _fail(where, value.line_of("export"), "background.export must be an environment variable name")
    terminal = value.get("terminal", "new")
    if terminal not in ("new", "this"):
        _fail(where, value.line_of("terminal"), "background.terminal must be new or this")
    return Background(dict(ready), float(deadline), value.line, keep, export, terminal)


def _reason(name, value, where, line):
    """A reason is a sentence, or {en: ..., ko: ...} so each language's pages can show it."""
    texts = value if isinstance(value, dict) else {"en": value}
    for text in texts.values():
        if not isinstance(text, str) or not text.strip():
            _fail(where, line, f"{name}: the reason it does not apply is empty")
        if text.strip().upper().startswith("TODO"):
            _fail(
                where,
                line,
                f"{name}: the reason is still a placeholder ({text.strip()!r}); "
                "give the tier settings, or say why it does not apply",
            )
    return Tier(
        name,
        applies=False,
        reason=texts["en"].strip(),
        reason_ko=texts["ko"].strip() if "ko" in texts else None,
        line=line,
    )


def _is_reason(value) -> bool:
    return isinstance(value, str) or (
        isinstance(value, dict) and bool(value) and set(value) <= {"en", "ko"} and "en" in value
    )


def _tier(name, value, lang, where, line, group_dir):
    if _is_reason(value):
        return _reason(name, value, where, line)
    if value is None:
        value = yamlines.LineDict()
        value.line, value.key_lines = line, {}
    _want(value, dict, where, line, f"{name} (a mapping of settings, or a string saying why it does not apply)")
    _check_keys(value, TIER_KEYS[name], where, f"the {name} tier")
    # The static tier has no runtime unless one is named (it then checks the kfp API names there).
    default = None if name == "static" or not RUNTIMES[lang] else RUNTIMES[lang][0]
    runtime = value.get("runtime", default)
    if (name != "static" or runtime is not None) and runtime not in RUNTIMES[lang]:
        _fail(
            where,
            value.line_of("runtime"),
            f"runtime {runtime!r} cannot run a {lang} snippet "
            f"(choose from: {', '.join(RUNTIMES[lang]) or 'none, so give a reason instead'})",
        )
    timeout = _want(
        value.get("timeout", DEFAULT_TIMEOUT[name]), (int, float), where, value.line_of("timeout"), "timeout"
    )
    if timeout <= 0:
        _fail(where, value.line_of("timeout"), "timeout must be positive (seconds)")
    args = _want(value.get("args", []), list, where, value.line_of("args"), "args")
    env = _want(value.get("env", {}), dict, where, value.line_of("env"), "env")
    expect = _expect(value["expect"], where, value.line_of("expect"), group_dir) if "expect" in value else Expect()
    background = _background(value["background"], where, value.line_of("background")) if "background" in value else None
    needs = _needs(value.get("needs", []), where, value.line_of("needs"))
    ui_walk = _ui_walk(value["ui_walk"], where, value.line_of("ui_walk")) if "ui_walk" in value else None
    join, after = value.get("chain"), value.get("after")
    if after is not None and join is None:
        _fail(where, value.line_of("after"), f"{name}.after needs {name}.chain: the chain whose step it follows")
    if join is not None and after is None:
        _fail(where, value.line_of("chain"), f"{name}.chain needs {name}.after: the step of that chain to run after")
    return Tier(
        name,
        True,
        timeout=float(timeout),
        needs=needs,
        runtime=runtime,
        args=tuple(map(str, args)),
        env={str(k): str(v) for k, v in env.items()},
        expect=expect,
        background=background,
        schema=value.get("schema"),
        line=value.line,
        chain=str(join) if join is not None else None,
        after=str(after) if after is not None else None,
        ui_walk=ui_walk,
    )


def _ui_walk(value, where, line) -> UiWalk:
    _want(value, dict, where, line, "ui_walk")
    _check_keys(value, {"name", "timeout"}, where, "ui_walk")
    timeout = _want(value.get("timeout"), (int, float), where, value.line_of("timeout"), "ui_walk.timeout")
    if timeout <= 0:
        _fail(where, value.line_of("timeout"), "ui_walk.timeout must be positive (seconds)")
    return UiWalk(str(value.get("name")), float(timeout), line)


def _walkthrough(value, where, line, group_dir):
    """The `walkthrough:` key: timeout, needs and expect, as in a tier; a step that fails ends the reader's session."""
    _want(value, dict, where, line, "walkthrough")
    _check_keys(value, {"timeout", "needs", "expect", "background"}, where, "walkthrough")
    timeout = _want(
        value.get("timeout", WalkthroughCheck.timeout),
        (int, float),
        where,
        value.line_of("timeout"),
        "walkthrough.timeout",
    )
    if timeout <= 0:
        _fail(where, value.line_of("timeout"), "walkthrough.timeout must be positive (seconds)")
    expect = _expect(value["expect"], where, value.line_of("expect"), group_dir) if "expect" in value else Expect()
    if expect.exit != 0:
        _fail(
            where,
            value.line_of("expect"),
            "walkthrough.expect.exit must be 0: under set -e a failing command ends the reader's session",
        )
    background = _background(value["background"], where, value.line_of("background")) if "background" in value else None
    if background is not None and expect != Expect():
        _fail(
            where,
            value.line_of("expect"),
            "walkthrough.expect does not go with background: a step left running is checked by its ready probe",
        )
    needs = _needs(value.get("needs", []), where, value.line_of("needs"))
    return WalkthroughCheck(float(timeout), expect, value.line, background, needs)


def _chain(value, group, where, line):
    _want(value, dict, where, line, "chain")
    _check_keys(value, CHAIN_KEYS, where, "chain")
    for key in ("name", "kind", "node_image"):
        if not isinstance(value.get(key), str) or not value[key]:
            _fail(where, value.line_of(key), f"chain.{key} is required (a string)")
    if "@sha256:" not in value["node_image"]:
        _fail(where, value.line_of("node_image"), "chain.node_image must be pinned by digest (…@sha256:…)")
    if not re.fullmatch(r"v\d+\.\d+\.\d+", value["kind"]):
        _fail(where, value.line_of("kind"), "chain.kind must be a kind release such as v0.20.0")
    resources = _want(value.get("resources", {}), dict, where, value.line_of("resources"), "resources")
    include = _want(value.get("include", []), list, where, value.line_of("include"), "include")
    for other in include:
        if not (where.parent.parent / str(other)).is_dir():
            _fail(where, value.line_of("include"), f"chain.include names {other!r}, which is not a snippet group")
    return dict(
        name=value["name"],
        group=group,
        kind=value["kind"],
        node_image=value["node_image"],
        needs=_needs(value.get("needs", []), where, value.line_of("needs")),
        description=str(value.get("description", "")),
        resources=dict(resources),
        include=tuple(map(str, include)),
        manifest=where,
        line=value.line,
    )


def _load_group_into(root: Path, manifest_path: Path, result: Manifest):
    group_dir = manifest_path.parent
    group = group_dir.relative_to(root).as_posix()
    where = manifest_path
    data = yamlines.load(manifest_path, str(where))
    schema.check_manifest(data, where)  # the shape first (schemas/checks.schema.json); meaning below
    entries = data["snippets"]
    chain = _chain(data["chain"], group, where, data.line_of("chain")) if "chain" in data else None
    steps = []
    for name, entry in entries.items():
        line = entries.line_of(name)
        path = group_dir / str(name)
        if not path.is_file():
            _fail(where, line, f"snippet file {name!r} does not exist in {group_dir}")
        lang = LANGS.get(path.suffix)
        if lang is None:
            _fail(where, line, f"{name}: unknown snippet type {path.suffix!r} (known: {', '.join(LANGS)})")
        tiers = {t: _tier(t, entry[t], lang, where, entry.line_of(t), group_dir) for t in TIERS}
        walk = (
            _walkthrough(entry["walkthrough"], where, entry.line_of("walkthrough"), group_dir)
            if "walkthrough" in entry
            else WalkthroughCheck(line=line)
        )
        snippet_id = f"{group}/{name}"
        cluster = tiers["cluster"]
        in_chain = chain is not None and cluster.applies
        if cluster.chain is not None:
            join_line = entry["cluster"].line_of("chain")
            if chain is not None:
                _fail(
                    where,
                    join_line,
                    f"{name}: this checks.yaml declares chain {chain['name']!r}, whose steps are its own cluster "
                    f"steps; a group with its own chain cannot join chain {cluster.chain!r}",
                )
            result.joins.append(Join(snippet_id, cluster.chain, str(cluster.after), where, join_line))
        elif cluster.applies and chain is None:
            _fail(
                where,
                entry.line_of("cluster"),
                f"{name}: a cluster tier needs a chain in this checks.yaml, or chain: and after: to join one",
            )
        step_of = chain["name"] if chain and in_chain else cluster.chain  # its own chain, or the one it joins
        result.snippets[snippet_id] = Snippet(snippet_id, path, group, lang, tiers, where, line, step_of, walk)
        for expect in [tier.expect for tier in tiers.values()] + [walk.expect]:
            if expect.output_file:
                result.companions[f"{group}/{expect.output_file}"] = snippet_id
        if in_chain:
            steps.append(snippet_id)
    if chain is not None:
        if chain["name"] in result.chains:
            _fail(where, chain["line"], f"chain {chain['name']!r} is declared twice")
        result.chains[chain["name"]] = Chain(steps=tuple(steps), **chain)


def load(root: Path) -> Manifest:
    """Load every checks.yaml below root (the snippets/ folder), chains assembled with the steps that join
    them. Raises ManifestError on the first defect (by file, then line)."""
    result = load_all(root)
    if result.errors:
        raise min(result.errors.values(), key=lambda e: (e.path, e.line))
    return result


def load_all(root: Path) -> Manifest:
    """Every checks.yaml below root that loads, chains assembled; each broken one's first error in `errors`
    (the plugin reports it at that file's collection, and still collects the other groups)."""
    root = Path(root)
    result = Manifest(root=root)
    for manifest_path in sorted(root.rglob(MANIFEST_NAME)):
        group = Manifest(root=root)
        try:
            _load_group_into(root, manifest_path, group)
            for chain in group.chains.values():
                if chain.name in result.chains:
                    _fail(manifest_path, chain.line, f"chain {chain.name!r} is declared twice")
        except ManifestError as exc:
            result.errors[manifest_path] = exc
            continue
        result.snippets.update(group.snippets)
        result.chains.update(group.chains)
        result.companions.update(group.companions)
        result.joins.extend(group.joins)
    _assemble(result)
    return result


def _assemble(result: Manifest) -> None:
    """Insert each joining step after its anchor: the chain's own steps in file order, each followed by the
    steps joined after it (groups in path order, each in its checks.yaml's order), and theirs after them."""
    by_chain: dict[str, list[Join]] = defaultdict(list)
    for join in result.joins:
        try:
            if join.chain not in result.chains:
                known = ", ".join(sorted(result.chains)) or "none"
                _fail(
                    join.manifest,
                    join.line,
                    f"{_name(join)}: cluster.chain names {join.chain!r}, which no checks.yaml declares "
                    f"(known: {known})",
                )
        except ManifestError as exc:
            result.errors.setdefault(join.manifest, exc)
            continue
        by_chain[join.chain].append(join)
    for name, joins in by_chain.items():
        chain = result.chains[name]
        followers: dict[str, list[str]] = defaultdict(list)
        for join in joins:
            try:
                followers[_anchor(join, chain, joins)].append(join.snippet)
            except ManifestError as exc:
                result.errors.setdefault(join.manifest, exc)
        steps: list[str] = []

        def place(step: str, steps=steps, followers=followers) -> None:
            steps.append(step)
            for follower in followers.get(step, ()):
                place(follower)

        for step in chain.steps:
            place(step)
        for join in joins:
            if join.snippet not in steps and join.manifest not in result.errors:
                result.errors[join.manifest] = ManifestError(
                    join.manifest, join.line, f"{_name(join)}: cluster.after {join.after!r} makes a cycle of steps"
                )
        groups = tuple(dict.fromkeys(result.snippets[j.snippet].group for j in joins if j.snippet in steps))
        result.chains[name] = replace(chain, steps=tuple(steps), joined=groups)


def _name(join: Join) -> str:
    return join.snippet.rpartition("/")[2]


def _anchor(join: Join, chain: Chain, joins: list[Join]) -> str:
    """The id of the step a join runs after: a file of the chain's own group, or group/file of a joined step."""
    own = {step.rpartition("/")[2]: step for step in chain.steps}
    joined = {j.snippet for j in joins if j.snippet != join.snippet}
    if join.after in own:
        return own[join.after]
    if join.after in joined or join.after in chain.steps:
        return join.after
    hint = difflib.get_close_matches(join.after, [*own, *sorted(joined)], n=1)
    also = f" (did you mean {hint[0]!r}?)" if hint else f" (its steps are the cluster steps of {chain.manifest})"
    _fail(
        join.manifest,
        join.line,
        f"{_name(join)}: cluster.after names {join.after!r}, which is not a step of chain {chain.name!r}{also}",
    )


def load_group(root: Path, manifest_path: Path) -> Manifest:
    """One group's checks.yaml alone (its joins are recorded, not checked: load and load_all check them).
    Raises ManifestError."""
    result = Manifest(root=Path(root))
    _load_group_into(Path(root), manifest_path, result)
    return result


def snippet_files(root: Path) -> list[str]:
    """Every file below root that is meant to be shown on a page (ids relative to root)."""
    root = Path(root)
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.name not in NOT_SNIPPETS and "__pycache__" not in p.parts
    )
