"""Every simple command of a shell snippet, read by a real shell grammar (tree-sitter-bash).

Commands are found wherever bash would run them: in functions, loops, `if`/`case`, subshells, `{ }` groups,
`$(...)`, backquotes, pipelines and `&&`/`||` lists. Each keeps its 1-based line, its words with literal
variables expanded and wrappers (`env`, `timeout N`, `sudo`, ...) dropped, and the here-document fed to it.
What the grammar cannot read is reported with its line, so a construct it misreads is never skipped silently.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter_bash
from tree_sitter import Language, Node, Parser, Tree

from .findings import Finding

LANGUAGE = Language(tree_sitter_bash.language())
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$[0-9@*#?$!-]")
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
# tree-sitter-bash 0.25 drops a word that stands between a command and a redirection (`cat - <<EOF`);
# such plain words are put back, anything else left in a gap is reported.
PLAIN_WORD = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")
SKIPPED_TEXT = {"\\"}  # line continuations sit between nodes
WRAPPERS = {"exec", "nohup", "builtin", "time", "command", "sudo", "env", "timeout"}
TEXT_NODES = {
    "word",
    "string",
    "raw_string",
    "ansi_c_string",
    "translated_string",
    "heredoc_body",
    "comment",
    "heredoc_content",
    "string_content",
    "regex",
    "extglob_pattern",
    "number",
    "concatenation",
    "expansion",
    "simple_expansion",
    "arithmetic_expansion",
    "brace_expression",
    "test_operator",
}


@dataclass
class Command:
    line: int  # 1-based line of the command
    words: list[str]  # the command word first; assignments, wrappers, redirections dropped
    stdin: str | None = None  # a here-document fed to it


def parse(source: str) -> Tree:
    return _parse(source.encode("utf-8"))


@lru_cache(maxsize=64)
def _parse(data: bytes) -> Tree:
    return Parser(LANGUAGE).parse(data)


def program(words: list[str]) -> str:
    """The name of the program a command runs (`./kubectl` and `$HOME/bin/kubectl` are `kubectl`)."""
    return words[0].rsplit("/", 1)[-1] if words else ""


def errors(source: str) -> list[tuple[int, str]]:
    """(line, message) for each construct the grammar could not read, or text it would have skipped."""
    rows, found = source.splitlines(), []
    for node in _walk(parse(source).root_node):
        row = min(node.start_point.row + 1, max(len(rows), 1))  # a MISSING `fi` sits after the last line
        if node.type == "ERROR" or node.is_missing:
            shown = rows[row - 1].strip() if rows else ""
            lacking = f" (it expected `{node.type}`)" if node.is_missing else ""
            found.append(
                (
                    row,
                    f"the shell parser (tree-sitter-bash) cannot read `{shown[:80]}`{lacking}, so no "
                    "command of it would be checked; write it so the parser reads it (e.g. split the line)",
                )
            )
        elif node.child_count and node.type not in TEXT_NODES:
            found += [
                (line, f"the shell parser (tree-sitter-bash) skipped `{text[:60]}`; write it differently")
                for line, text in _gaps(node)
                if not _recovered(node, text)
            ]
    return _unique_errors(found)


def findings(source: str) -> list[Finding]:
    return [Finding(line, message) for line, message in errors(source)]


def commands(source: str, values: dict[str, str] | None = None, placeholder: str | None = "placeholder"):
    """Every simple command of the snippet with variables expanded, and what the parser could not read.

    An unknown variable or `$(...)` becomes the placeholder, or stays as written when placeholder is None.
    """
    reader = _Reader(values or {}, placeholder)
    found = [
        c
        for node, stdin in _commands_with_stdin(parse(source).root_node, None)
        if (c := reader.command(node, stdin)) is not None
    ]
    return found, errors(source)


def literal_values(source: str) -> dict[str, str]:
    """Variables the snippet sets to a literal (`VERSION=v1.2.0`), resolved in order, for reading URLs."""
    values: dict[str, str] = {}
    reader = _Reader(values, None)
    for node in _walk(parse(source).root_node):
        if node.type != "variable_assignment":
            continue
        name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        if (
            name is None
            or name.type != "variable_name"
            or any(n.type in ("command_substitution", "process_substitution", "array") for n in _walk(value))
        ):
            continue
        values[_text(name)] = reader.value(value) if value is not None else ""
    return values


class _Reader:
    """Turns the nodes of one command into the words bash would pass it."""

    def __init__(self, values: dict[str, str], placeholder: str | None):
        self.values, self.placeholder = values, placeholder

    def command(self, node: Node, stdin: str | None) -> Command | None:
        if node.type == "declaration_command":  # export/local/readonly/declare: a builtin and its words
            words = [_text(node.children[0])] + [self.value(c) for c in node.children[1:] if c.is_named]
            return Command(node.start_point.row + 1, words, stdin)
        words = []
        for index, child in enumerate(node.children):
            if child.type == "command_name" or node.field_name_for_child(index) == "argument":
                words.append(self.value(child))
        words += _put_back(node)
        words = _unwrapped(words)
        return Command(node.start_point.row + 1, words, stdin) if words else None

    def value(self, node: Node | None) -> str:
        if node is None:
            return ""
        kind = node.type
        if kind == "command_name":
            return "".join(self.value(c) for c in node.children)
        if kind == "word":
            return re.sub(r"\\(.)", r"\1", _text(node))
        if kind == "raw_string":
            return _text(node)[1:-1]
        if kind == "ansi_c_string":
            return _ansi_c(_text(node)[2:-1])
        if kind in ("string", "translated_string"):
            return self._string(node)
        if kind == "concatenation":
            return "".join(self.value(c) for c in node.children)
        # Inside "...", tree-sitter-bash 0.25 puts the blanks before a `$` into the expansion's node.
        text = _text(node)
        lead, text = text[: len(text) - len(text.lstrip())], text.lstrip()
        if kind in ("simple_expansion", "expansion"):
            return lead + self._expansion(text)
        if kind in ("command_substitution", "process_substitution"):
            return lead + (text if self.placeholder is None else self.placeholder)
        if kind == "arithmetic_expansion":
            return lead + (text if self.placeholder is None else "0")
        return lead + text

    def _string(self, node: Node) -> str:
        out, cursor = [], node.start_byte + (2 if node.type == "translated_string" else 1)
        for child in node.children:
            if not child.is_named:
                continue
            out.append(_unescape_double(_slice(node, cursor, child.start_byte)))
            out.append(_unescape_double(_text(child)) if child.type == "string_content" else self.value(child))
            cursor = child.end_byte
        out.append(_unescape_double(_slice(node, cursor, node.end_byte - 1)))
        return "".join(out)

    def _expansion(self, text: str) -> str:
        """A plain `$NAME` or `${NAME}` with a known value; anything else is unknown."""
        match = VARIABLE.fullmatch(text)
        name = match and (match.group(1) or match.group(2))
        if name and name in self.values and text in (f"${name}", f"${{{name}}}"):
            return self.values[name]
        return text if self.placeholder is None else self.placeholder


def _commands_with_stdin(node: Node, stdin: str | None):
    """(command node, here-document reaching it) in source order; a here-document feeds the statement it ends
    and what it pipes into (`cat <<EOF | kubectl apply -f -`)."""
    if node.type == "redirected_statement":
        bodies = [b for r in node.children if r.type == "heredoc_redirect" and (b := _heredoc(r)) is not None]
        stdin = "".join(bodies) if bodies else stdin
    if node.type in ("command", "declaration_command"):
        yield node, stdin
    for child in node.children:
        yield from _commands_with_stdin(child, stdin)


def _heredoc(redirect: Node) -> str | None:
    """The body as bash reads it: the lines between the start line and the end word (`<<-` strips tabs)."""
    start = next((c for c in redirect.children if c.type == "heredoc_start"), None)
    end = next((c for c in redirect.children if c.type == "heredoc_end"), None)
    if start is None or end is None:
        return None
    data = redirect.text or b""
    base = redirect.start_byte
    first = data.find(b"\n", start.end_byte - base)
    body = data[first + 1 : end.start_byte - base].decode("utf-8", "replace") if first >= 0 else ""
    if any(c.type == "<<-" for c in redirect.children):
        body = "".join(row.lstrip("\t") for row in body.splitlines(keepends=True))
    return body


def _put_back(command: Node) -> list[str]:
    """Plain words the grammar dropped between this command and its redirection (see PLAIN_WORD)."""
    parent = command.parent
    if parent is None or parent.type != "redirected_statement" or parent.children[0] != command:
        return []
    following = parent.children[1] if parent.child_count > 1 else None
    if following is None:
        return []
    gap = _slice(parent, command.end_byte, following.start_byte).split()
    return gap if gap and all(PLAIN_WORD.match(w) for w in gap) else []


def _recovered(node: Node, text: str) -> bool:
    return node.type == "redirected_statement" and all(PLAIN_WORD.match(w) for w in text.split())


def _gaps(node: Node):
    """(line, text) of source text inside node that none of its children covers."""
    cursor = node.start_byte
    for child in [*node.children, None]:
        stop = child.start_byte if child is not None else node.end_byte
        text = _slice(node, cursor, stop)
        if text.strip() and text.replace("\\\n", "").strip() not in SKIPPED_TEXT | {""}:
            row = node.start_point.row + _slice(node, node.start_byte, cursor).count("\n") + 1
            yield row, text.strip()
        if child is not None:
            cursor = max(cursor, child.end_byte)


def _unwrapped(words: list[str]) -> list[str]:
    """Drop leading VAR=x words and wrappers that run the next words as the command."""
    index = 0
    while index < len(words):
        word = words[index]
        if ASSIGNMENT.match(word):
            index += 1
        elif word == "command" and words[index + 1 : index + 2] in (["-v"], ["-V"]):
            break  # a lookup: it runs nothing
        elif word in ("timeout", "sudo", "env", "command", "exec"):
            index = _after_options(words, index + 1, word)
        elif word in WRAPPERS:
            index += 1
        else:
            break
    return words[index:]


def _after_options(words: list[str], index: int, wrapper: str) -> int:
    takes_value = {
        "timeout": {"-s", "--signal", "-k", "--kill-after"},
        "sudo": {"-u", "-g", "-C", "-h", "-p"},
        "env": {"-u", "--unset", "-C", "--chdir"},
        "exec": {"-a"},
        "command": set(),
    }[wrapper]
    while index < len(words) and words[index].startswith("-") and words[index] != "-":
        index += 2 if words[index] in takes_value else 1
    return index + 1 if wrapper == "timeout" else index  # timeout's DURATION


def _walk(node: Node | None):
    if node is None:
        return
    yield node
    for child in node.children:
        yield from _walk(child)


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def _slice(node: Node, start: int, end: int) -> str:
    """Source text between two byte offsets that lie within node."""
    data = node.text or b""
    return data[start - node.start_byte : end - node.start_byte].decode("utf-8", "replace")


def _unescape_double(text: str) -> str:
    return re.sub(r"\\([$`\"\\\n])", lambda m: "" if m.group(1) == "\n" else m.group(1), text)


def _ansi_c(text: str) -> str:
    try:
        return codecs.decode(text, "unicode_escape")
    except (UnicodeDecodeError, ValueError):
        return text


def _unique_errors(found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    seen, out = set(), []
    for item in found:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
