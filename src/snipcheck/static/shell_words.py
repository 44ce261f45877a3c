"""Reading a shell snippet as a reader's shell would, enough to find each simple command and its words.

Not a shell parser: it joins line continuations, sets here-document bodies aside, opens `$(...)`, splits
at `| || && ; &` and drops redirections, which covers the one-command-per-step snippets of the site.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

HEREDOC = re.compile(r"<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$[0-9@*#?$!-]")
ASSIGNMENT = re.compile(r"^\s*(?:export\s+|readonly\s+|local\s+)?([A-Za-z_][A-Za-z0-9_]*)=(\S*)")
SEPARATORS = {"|", "||", "&&", ";", "&", "|&", ";;", "(", ")"}
KEYWORDS = {"!", "if", "then", "else", "elif", "do", "while", "until", "time", "{", "}", "exec", "command",
            "nohup", "sudo", "builtin", "for", "in", "done", "fi"}
SUBSTITUTED = "SUBST"       # stands in for a `$(...)` whose own words are read separately


@dataclass
class LogicalLine:
    line: int                          # 1-based line where it starts
    text: str                          # continuations joined, here-document bodies set aside
    heredoc: str | None = None         # the body of a here-document it opens, if any


@dataclass
class Command:
    line: int
    words: list[str]                   # the command word first; assignments and wrappers dropped
    stdin: str | None = None           # a here-document fed to it


def logical_lines(source: str) -> list[LogicalLine]:
    """Physical lines joined at trailing backslashes; here-document bodies attached to their line."""
    result, pending, buffer, start = [], [], [], 0
    rows = source.splitlines()
    index = 0
    while index < len(rows):
        row = rows[index]
        if pending:                                   # inside here-documents opened by the last line
            strip_tabs, word = pending[0]
            body = []
            while index < len(rows) and (rows[index].lstrip("\t") if strip_tabs else rows[index]) != word:
                body.append(rows[index])
                index += 1
            result[-1].heredoc = (result[-1].heredoc or "") + "\n".join(body) + "\n"
            pending.pop(0)
            index += 1
            continue
        if not buffer:
            start = index + 1
        continued = row.endswith("\\") and not row.endswith("\\\\") and not row.lstrip().startswith("#")
        buffer.append(row[:-1] if continued else row)
        index += 1
        if continued and index < len(rows):
            continue
        text = " ".join(buffer)
        buffer = []
        result.append(LogicalLine(start, text))
        pending = [(dash == "-", word) for dash, _, word in HEREDOC.findall(_unquoted_code(text))]
    return result


def _unquoted_code(text: str) -> str:
    """The line without its comment, so a `<<` in a comment opens no here-document."""
    try:
        lexer = shlex.shlex(text, posix=False)
        lexer.whitespace_split, lexer.commenters = True, "#"
        return " ".join(lexer)
    except ValueError:
        return text


def split_substitutions(text: str) -> tuple[str, list[str]]:
    """Replace each `$(...)` and backquoted command with a placeholder; return the inner commands too."""
    outer, inner, index = [], [], 0
    while index < len(text):
        if text.startswith("$((", index):             # arithmetic: no command inside
            end = _closing(text, index + 1)
            outer.append("0")
            index = end + 1
        elif text.startswith("$(", index):
            end = _closing(text, index + 1)
            inner.append(text[index + 2:end])
            outer.append(SUBSTITUTED)
            index = end + 1
        elif text[index] == "`":
            end = text.find("`", index + 1)
            end = len(text) if end < 0 else end
            inner.append(text[index + 1:end])
            outer.append(SUBSTITUTED)
            index = end + 1
        elif text[index] == "'":                      # single quotes hide `$(` from the shell
            end = text.find("'", index + 1)
            end = len(text) - 1 if end < 0 else end
            outer.append(text[index:end + 1])
            index = end + 1
        else:
            outer.append(text[index])
            index += 1
    return "".join(outer), inner


def _closing(text: str, open_index: int) -> int:
    depth, quote = 0, None
    for index in range(open_index, len(text)):
        char = text[index]
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    return len(text)


def literal_values(source: str) -> dict[str, str]:
    """Variables the snippet sets to a literal (`VERSION=v1.2.0`), resolved in order, for reading URLs."""
    values: dict[str, str] = {}
    for logical in logical_lines(source):
        match = ASSIGNMENT.match(logical.text)
        if not match or "$(" in match.group(2) or "`" in match.group(2):
            continue
        try:
            words = shlex.split(logical.text[match.start(2):])
        except ValueError:
            continue
        value = words[0] if words else ""
        values[match.group(1)] = substitute(value, values, keep_unknown=True)
    return values


def substitute(text: str, values: dict[str, str], placeholder: str = "placeholder", keep_unknown=False) -> str:
    """Expand $VAR and ${VAR...}: a known value, else the placeholder (or the text itself)."""
    def one(match):
        name = match.group(1) or match.group(2)
        if name and name in values:
            return values[name]
        return match.group(0) if keep_unknown else placeholder
    return VARIABLE.sub(one, text)


def commands(source: str, values: dict[str, str] | None = None, placeholder: str | None = "placeholder"):
    """Every simple command of the snippet (also those inside `$(...)`), with variables expanded."""
    values = values or {}
    found, errors = [], []
    for logical in logical_lines(source):
        queue = [logical.text]
        while queue:
            outer, inner = split_substitutions(queue.pop(0))
            queue.extend(inner)
            text = substitute(outer, values, placeholder or "", keep_unknown=placeholder is None)
            try:
                tokens = _tokens(text)
            except ValueError as exc:
                errors.append((logical.line, str(exc)))
                continue
            for words in _simple_commands(tokens):
                found.append(Command(logical.line, words, logical.heredoc))
    return found, errors


def _tokens(text: str) -> list[str]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    return list(lexer)


def _simple_commands(tokens: list[str]):
    current: list[str] = []
    for token in tokens + [";"]:
        if token in SEPARATORS:
            words = _command_words(_without_redirections(current))
            if words:
                yield words
            current = []
        else:
            current.append(token)


def _without_redirections(tokens: list[str]) -> list[str]:
    kept, skip = [], False
    for index, token in enumerate(tokens):
        if skip:
            skip = False
            continue
        if token and set(token) <= set("<>&") and ("<" in token or ">" in token):
            skip = True
            if kept and kept[-1].isdigit():           # the `2` of `2>&1`
                kept.pop()
            continue
        kept.append(token)
    return kept


def _command_words(words: list[str]) -> list[str]:
    index = 0
    while index < len(words):
        word = words[index]
        if word in KEYWORDS or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", word):
            index += 1
        elif word == "env":
            index += 1
        elif word == "timeout":                       # timeout [options] DURATION command ...
            index += 1
            while index < len(words) and words[index].startswith("-"):
                index += 1
            index += 1
        else:
            break
    return words[index:]


def program(words: list[str]) -> str:
    """The name of the program a command runs (`./kubectl` and `$HOME/bin/kubectl` are `kubectl`)."""
    return words[0].rsplit("/", 1)[-1] if words else ""
