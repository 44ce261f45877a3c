"""The pinned-download rule: whatever a snippet downloads names its version, so the page stays true later."""

from __future__ import annotations

import ast
import re
import shlex

from packaging.requirements import InvalidRequirement, Requirement

from . import shell_parse
from .findings import Finding

URL = re.compile(r"(?:https?|git)://[^\s\"'<>]+")
MOVING_REFS = {"master", "main", "head", "develop", "dev", "trunk"}
COMMIT = re.compile(r"^[0-9a-f]{7,40}$")
PIP_VALUE_OPTIONS = {
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--python-version",
    "--platform",
    "--only-binary",
    "--no-binary",
    "--trusted-host",
    "--cache-dir",
    "-e",
    "--editable",
    "--python",
    "--progress-bar",
    "--implementation",
    "--abi",
}
IMAGE_FLAGS = {"--image", "--node-image"}


def moving_ref(ref: str) -> bool:
    ref = ref.lower()
    return ref in MOVING_REFS or "branch" in ref or ref.startswith("refs/heads")


def url_problem(url: str) -> str | None:
    """Why a URL does not pin what it downloads, or None."""
    if "$" in url:
        return None  # the version comes from a variable the snippet does not set literally
    segments = [s.lower() for s in re.split(r"[/?&=@:]", url.split("://", 1)[-1]) if s]
    if "latest" in segments:
        return f"{url} follows 'latest'; name a release instead"
    if any(s in ("stable.txt", "stable") for s in segments):
        return f"{url} resolves the version at download time; name a release instead"
    ref = _github_ref(url)
    if ref is not None and (moving_ref(ref) or not (re.search(r"\d", ref) or COMMIT.match(ref))):
        return f"{url} downloads the moving ref {ref!r}; use a release tag or a commit"
    return None


def _github_ref(url: str) -> str | None:
    """The tag, branch or commit a GitHub URL points into, when it names one."""
    query = re.search(r"[?&]ref=([^&#]+)", url)
    if query:
        return query.group(1)
    raw = re.match(r"https?://raw\.githubusercontent\.com/[^/]+/[^/]+/([^/]+)/", url)
    if raw:
        return raw.group(1)
    tree = re.match(
        r"https?://github\.com/[^/]+/[^/]+/(?:blob|tree|raw|archive)/(?:refs/tags/)?([^/]+?)"
        r"(?:\.tar\.gz|\.zip)?(?:/|$)",
        url,
    )
    return tree.group(1) if tree else None


def image_problem(image: str) -> str | None:
    if "$" in image or "@sha256:" in image:
        return None
    name = image.rsplit("/", 1)[-1]
    if ":" not in name:
        return f"the image {image} has no tag; pin a tag or, better, a digest (@sha256:...)"
    if name.rsplit(":", 1)[1] == "latest":
        return f"the image {image} uses the tag 'latest'; pin a release tag or a digest"
    return None


def _pip_problems(words: list[str]) -> list[str]:
    if "install" not in words:
        return []
    problems, args = [], words[words.index("install") + 1 :]
    index = 0
    while index < len(args):
        word = args[index]
        if word in PIP_VALUE_OPTIONS:
            if word in ("-e", "--editable") and index + 1 < len(args) and _vcs_or_url(args[index + 1]):
                problems += _requirement_problems(args[index + 1])
            index += 2
            continue
        if args[index + 1 : index + 2] == ["@"] and index + 2 < len(args):  # `name @ url` left unquoted
            word, index = f"{word} @ {args[index + 2]}", index + 2
        index += 1
        if not (word.startswith("-") or _local_requirement(word)):
            problems += _requirement_problems(word)
    return problems


def _requirement_problems(word: str) -> list[str]:
    """Why one pip requirement does not name exactly one release (or, from a repository, a tag or commit)."""
    if _vcs_or_url(word) and " @ " not in word:
        return _vcs_problems(word, word)
    # A version taken from a variable the snippet does not set literally still has to be an `==` pin.
    parsable = re.sub(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*", "0", word)
    try:
        requirement = Requirement(parsable)
    except InvalidRequirement as exc:
        return [f"pip install {word} is not a valid requirement ({str(exc).splitlines()[0]})"]
    if requirement.url:
        return _vcs_problems(word, requirement.url)
    specifiers = list(requirement.specifier)
    if len(specifiers) != 1 or specifiers[0].operator != "==" or "*" in specifiers[0].version:
        return [
            f"pip install {word} must pin its version with exactly one == and no wildcard "
            f"({requirement.name}==<version>)"
        ]
    return []


def _vcs_or_url(word: str) -> bool:
    return "://" in word or word.startswith("git+")


def _vcs_problems(word: str, url: str) -> list[str]:
    """A repository requirement must name a tag or a commit after `@`; an archive URL its release."""
    if not url.startswith(("git+", "hg+", "svn+", "bzr+")):
        return [] if "$" in url else [p for p in [url_problem(url)] if p]
    path = url.split("#", 1)[0].split("://", 1)[-1]
    ref = path.rsplit("@", 1)[1] if "@" in path.split("/", 1)[-1] else None
    if ref is None:
        return [f"pip install {word} must pin a tag or commit (@<tag> after the repository)"]
    if "$" not in ref and (moving_ref(ref) or not (re.search(r"\d", ref) or COMMIT.match(ref))):
        return [f"pip install {word} follows the moving ref {ref!r}; use a release tag or a commit"]
    return []


def _local_requirement(word: str) -> bool:
    return word in (".", "..") or word.startswith(("./", "../", "/", "~")) or word.endswith((".whl", ".tar.gz"))


def _git_clone_problem(words: list[str], later: str) -> str | None:
    urls = [w for w in words[1:] if not w.startswith("-") and ("/" in w or ":" in w)]
    for flag in ("--branch", "-b"):
        if flag in words and words.index(flag) + 1 < len(words):
            branch = words[words.index(flag) + 1]
            return (
                f"git clone --branch {branch} follows a moving branch; use a release tag"
                if moving_ref(branch)
                else None
            )
        if any(w.startswith(flag + "=") for w in words):
            return None
    if re.search(r"\bgit\b.*\bcheckout\s+\S", later):
        return None  # a later `git checkout <tag or commit>` pins it
    target = urls[0] if urls else "the repository"
    return f"git clone {target} must pin a version: --branch <tag>, or git checkout <commit> after it"


def _command_problems(command: shell_parse.Command, later: str) -> list[str]:
    words, name = command.words, shell_parse.program(command.words)
    problems = [p for w in words for url in URL.findall(w) if (p := url_problem(url))]
    if name in ("pip", "pip3") or (name.startswith("python") and words[1:3] == ["-m", "pip"]):
        problems += _pip_problems(words)
    elif name == "git" and "clone" in words:
        problem = _git_clone_problem(words[words.index("clone") :], later)
        problems += [problem] if problem else []
    elif name == "go" and "install" in words:
        problems += [
            f"go install {w} must pin a version (@v<version>)"
            for w in words[2:]
            if not w.startswith("-") and (not re.search(r"@v?\d", w))
        ]
    elif name == "helm" and set(words[1:2]) & {"install", "upgrade", "template", "pull"}:
        if not any(w == "--version" or w.startswith("--version=") for w in words):
            problems.append(f"helm {words[1]} must pin the chart with --version <version>")
    elif name == "kubectl":
        problems += _remote_kustomize_problems(words)
    problems += _image_problems(words, name)
    return problems


def _remote_kustomize_problems(words: list[str]) -> list[str]:
    found = []
    for index, word in enumerate(words):
        flag, _, value = word.partition("=")
        if flag in ("-k", "--kustomize") and not value and index + 1 < len(words):
            value = words[index + 1]
        if value.startswith("github.com/") and "?ref=" not in value:
            found.append(f"the remote kustomization {value} must pin a tag: ?ref=<tag>")
        elif value.startswith("github.com/") and (problem := url_problem("https://" + value)):
            found.append(problem.replace("https://", "", 1))
    return found


def _image_problems(words: list[str], name: str) -> list[str]:
    images = []
    for index, word in enumerate(words):
        flag, eq, value = word.partition("=")
        if flag in IMAGE_FLAGS:
            images.append(value if eq else (words[index + 1] if index + 1 < len(words) else ""))
    if name in ("docker", "podman", "nerdctl") and len(words) > 2 and words[1] in ("pull", "run"):
        images += [w for w in words[2:] if not w.startswith("-")][:1]
    return [p for image in images if image and (p := image_problem(image))]


def check_shell(source: str) -> list[Finding]:
    values = shell_parse.literal_values(source)
    found, _ = shell_parse.commands(source, values, placeholder=None)
    rows = source.splitlines()
    findings = []
    for command in found:
        later = "\n".join(rows[command.line :])
        findings += [Finding(command.line, f"unpinned download: {p}") for p in _command_problems(command, later)]
    return _unique(findings)


def check_python(source: str, tree: ast.AST) -> list[Finding]:
    """URLs the code fetches, and `pip install` lines in its comments or strings."""
    findings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.strip()
            if URL.fullmatch(text) and (problem := url_problem(text)):
                findings.append(Finding(node.lineno, f"unpinned download: {problem}"))
            findings += _pip_lines(text, node.lineno)
    for number, row in enumerate(source.splitlines(), start=1):
        if "#" in row:
            findings += _pip_lines(row.split("#", 1)[1], number)
    return _unique(findings)


def _pip_lines(text: str, line: int) -> list[Finding]:
    match = re.search(r"\bpip3? install\b.*", text)
    if not match:
        return []
    try:
        words = shlex.split(match.group(0), comments=True)
    except ValueError:
        words = match.group(0).split()
    return [Finding(line, f"unpinned download: {p}") for p in _pip_problems(words)]


def _unique(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for finding in findings:
        if (finding.line, finding.message) not in seen:
            seen.add((finding.line, finding.message))
            out.append(finding)
    return out
