"""Safe, line-aware reading of YAML and JSON files.

Only plain data is ever built (yaml's safe constructors; no tags that run code). Every mapping
comes back as a LineDict that knows its line and the line of each key, so errors further on
can say where the problem is. Files that are too large, binary, not UTF-8, or whose YAML
aliases expand without bound (a "billion laughs") are refused quickly with a clear message.
"""

from __future__ import annotations

import bisect
import json
import re
import json.decoder
import json.scanner
import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..model import InputProblem
from . import text

from .limits import MAX_DEPTH, MAX_EXPANDED_NODES, MAX_INT_DIGITS, MAX_JSON_BYTES, MAX_LINE_CHARS, MAX_YAML_BYTES


class LineDict(dict):
    """A dict with the 1-based line it starts on and the line of each key."""

    __slots__ = ("line", "key_lines", "raw")

    def __init__(self, *args, line=None, key_lines=None, raw=None):
        super().__init__(*args)
        self.line = line
        self.key_lines = key_lines or {}
        self.raw = raw or {}  # key -> the scalar exactly as written (YAML only)

    def line_of(self, key):
        return self.key_lines.get(key, self.line)


def line_of(value, key=None, default=None):
    """The line of a LineDict (or of one of its keys), else default."""
    if isinstance(value, LineDict):
        return value.line_of(key) if key is not None else value.line
    return default


def read_text(path: str, limit: int, notes: list | None = None) -> str:
    """A file's text (see inputs.text), refusing files that are too large or binary."""
    return text.read_text(path, limit, notes)


def check_not_binary(path: str, head: bytes) -> None:
    if b"\x00" in head:
        raise InputProblem(path, None, "not a text file (it contains NUL bytes)")


# libyaml's parser (C) where PyYAML was built with it: the pure-Python scanner made a folder of
# one-case files many times slower per case than a CSV log. It builds the same nodes, with the
# same marks (lines), and construction stays SafeConstructor's, so nothing else changes.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_TAGS_HELD = 1 << 16  # plain scalars whose tag is remembered (cleared when full)


class _LineLoaderMixin:
    """SafeLoader whose mappings are LineDicts, with duplicate keys refused, and whose implicit tags
    are remembered by value: PyYAML's resolver tries its patterns on every plain scalar in Python
    (a third of a one-case file's time), and a case file repeats its keys, types and dates. A plain
    scalar's tag depends on its text alone (these loaders have no path resolvers), so the
    remembered tag is the one the resolver would give."""

    _tags: dict  # plain scalar text -> its tag, one dict per loader class

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0]:
            tags = self._tags
            tag = tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(tags) >= _TAGS_HELD:
                    tags.clear()
                tags[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


class _SafeLineLoader(_LineLoaderMixin, _BASE_LOADER):
    _tags = {}


class _PureLineLoader(_LineLoaderMixin, yaml.SafeLoader):
    """The same in pure Python: where PyYAML has no libyaml, and the reference tests compare with."""

    _tags = {}


def _construct_map(loader, node):
    data = LineDict(line=node.start_mark.line + 1)
    yield data
    loader.flatten_mapping(node)
    _fill_map(data, node, lambda n: loader.construct_object(n, deep=True))


def _fill_map(data: LineDict, node: MappingNode, build) -> None:
    """A fresh LineDict filled from a mapping node: each key and value built by build(node),
    each key's line kept (a key met twice is refused, naming both lines), a scalar's raw text too.
    (_build_plain does the same in line, for speed.)"""
    key_lines = data.key_lines
    for key_node, value_node in node.value:
        key = build(key_node)
        try:
            hash(key)
        except TypeError:
            raise InputProblem("", key_node.start_mark.line + 1, "a mapping key must be a plain value") from None
        line = key_node.start_mark.line + 1
        if key in key_lines:
            raise InputProblem("", line, f"duplicate key {key!r} (first on line {key_lines[key]})")
        key_lines[key] = line
        if isinstance(value_node, ScalarNode):
            data.raw[key] = value_node.value
        data[key] = build(value_node)


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map"))


# Scalars of these tags build immutable values that depend on their text alone (a date, a number,
# a boolean, null): each text is built once per process, not once per occurrence.
_BUILT: dict[str, dict] = {f"tag:yaml.org,2002:{t}": {} for t in ("int", "float", "bool", "null", "timestamp")}
_BUILT_HELD = 1 << 14
_MISSING = object()


def _scalar(loader, node):
    tag = node.tag
    if tag == _STR:
        return node.value
    built = _BUILT.get(tag)
    if built is None:
        return loader.construct_object(node)
    value = built.get(node.value, _MISSING)
    if value is _MISSING:
        value = loader.construct_object(node)
        if len(built) >= _BUILT_HELD:
            built.clear()
        built[node.value] = value
    return value


def _build_plain(loader, node, depth: int = 0):
    """What construct_document gives, for a document with no alias and no merge key (told by
    its text), without the generic constructor's per-node bookkeeping: a third of the time of a
    small case file. Nesting is limited as _check_expansion limits it."""
    if type(node) is ScalarNode:
        return _scalar(loader, node)
    if depth >= MAX_DEPTH:
        raise InputProblem("", node.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
    if type(node) is SequenceNode and node.tag == _SEQ:
        return [_scalar(loader, n) if type(n) is ScalarNode else _build_plain(loader, n, depth + 1) for n in node.value]
    if type(node) is MappingNode and node.tag == _MAP:
        # _fill_map, with scalars built in line (most keys and values are)
        data = LineDict(line=node.start_mark.line + 1)
        key_lines, raw = data.key_lines, data.raw
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node) if type(key_node) is ScalarNode else _build_plain(loader, key_node, depth + 1)
            try:
                hash(key)
            except TypeError:
                raise InputProblem("", key_node.start_mark.line + 1, "a mapping key must be a plain value") from None
            line = key_node.start_mark.line + 1
            if key in key_lines:
                raise InputProblem("", line, f"duplicate key {key!r} (first on line {key_lines[key]})")
            key_lines[key] = line
            if type(value_node) is ScalarNode:
                raw[key] = value_node.value
                data[key] = _scalar(loader, value_node)
            else:
                data[key] = _build_plain(loader, value_node, depth + 1)
        return data
    return loader.construct_object(node, deep=True)  # !!set, !!omap and the like


def _construct_timestamp(loader, node):
    # An impossible date such as 2022-02-30 stays a string here, so that the case or rule
    # loader rejects it with its own message and line instead of a constructor traceback.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


def _construct_int(loader, node):
    # Kept as written when too long to be a count: values are text, and int() of a long digit
    # run costs quadratic time (and fails over 4,300 digits).
    if len(node.value) > MAX_INT_DIGITS:
        return node.value
    return yaml.SafeLoader.construct_yaml_int(loader, node)


for _loader in (_SafeLineLoader, _PureLineLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _check_expansion(root) -> None:
    """Refuse documents whose aliases expand beyond MAX_EXPANDED_NODES or nest too deeply."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk over the node graph; aliases share node objects, so a node's
    # expanded size is computed once and reused however many times it is referred to.
    stack = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            if isinstance(node, SequenceNode):
                total = 1 + sum(sizes.get(id(c), 1) for c in node.value)
            elif isinstance(node, MappingNode):
                total = 1 + sum(sizes.get(id(k), 1) + sizes.get(id(v), 1) for k, v in node.value)
            else:
                total = 1
            if total > MAX_EXPANDED_NODES:
                raise InputProblem("", node.start_mark.line + 1,
                                   f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} values "
                                   "(an alias bomb?); refused")
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if depth > MAX_DEPTH:
            raise InputProblem("", node.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
        sizes[key] = 1  # provisional: guards recursive aliases
        stack.append((node, depth, True))
        if isinstance(node, SequenceNode):
            stack.extend((c, depth + 1, False) for c in node.value)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                stack.append((k, depth + 1, False))
                stack.append((v, depth + 1, False))


def check_lines(text: str, path: str) -> None:
    """Refuse a line longer than MAX_LINE_CHARS: the parsers' time and memory grow badly with one."""
    pos, line = 0, 1
    while True:
        end = text.find("\n", pos)
        stop = len(text) if end < 0 else end
        if stop - pos > MAX_LINE_CHARS:
            raise InputProblem(path, line, f"line is {stop - pos:,} characters long, over the "
                                           f"{MAX_LINE_CHARS:,} limit for one line of a YAML or JSON file")
        if end < 0:
            return
        pos, line = end + 1, line + 1


def _int_as_written(digits: str):
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


# A case file in the plainest shape people and exports write: `key: value` lines, then `events:`
# and one flow mapping of `key: value` pairs a line, every key and value a plain word (letters,
# digits, `_`, `.`, `-`; a value may be words with one space between them; no quote, colon,
# comma, bracket or `#`). Such a file is read
# here, line by line, a few times faster than by composing YAML nodes; its values still get their
# tags from PyYAML's resolver and are built by the loader's own constructors, so a date, number,
# boolean or null comes out exactly as before. Any other file, or a repeated key, is left to the
# YAML loader (tests/test_yaml_loader_same.py compares the two on generated files).
_WORD = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
_WORDS = rf"{_WORD}(?: {_WORD})*"  # a value may be words with one space between them
_TOP_LINE = re.compile(rf"({_WORD}): ({_WORDS})")
_EVENT_LINE = re.compile(rf"( *)- \{{({_WORD}: {_WORDS}(?:, {_WORD}: {_WORDS})*)\}}")
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = None  # a pure-Python loader, made on first use, whose constructors build scalars


def _word(value: str):
    """A plain scalar's value, as the loader gives it (its tag remembered, as _LineLoaderMixin does)."""
    tags = _PureLineLoader._tags
    tag = tags.get(value)
    if tag is None:
        tag = _RESOLVER.resolve(ScalarNode, value, (True, False))
        if len(tags) >= _TAGS_HELD:
            tags.clear()
        tags[value] = tag
    if tag == _STR:
        return value
    built = _BUILT.get(tag)
    if built is not None:
        found = built.get(value, _MISSING)
        if found is not _MISSING:
            return found
    global _CONSTRUCTOR
    if _CONSTRUCTOR is None:
        _CONSTRUCTOR = _PureLineLoader("")
    found = _CONSTRUCTOR.construct_object(ScalarNode(tag, value))
    _CONSTRUCTOR.constructed_objects.clear()
    if built is not None:
        if len(built) >= _BUILT_HELD:
            built.clear()
        built[value] = found
    return found


def _plain_case_file(text: str):
    """The file's data where it has the plain shape above, else None."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    top = LineDict(line=1)
    key_lines, raw = top.key_lines, top.raw
    n = 0
    for n, line in enumerate(lines, 1):
        if line == "events:":
            break
        m = _TOP_LINE.fullmatch(line)
        if m is None:
            return None
        key = _word(m[1])
        if key in key_lines:
            return None
        key_lines[key], raw[key], top[key] = n, m[2], _word(m[2])
    else:
        return None
    key = _word("events")
    if key in key_lines or n == len(lines):
        return None
    key_lines[key] = n
    events, indent = [], None
    for n, line in enumerate(lines[n:], n + 1):
        m = _EVENT_LINE.fullmatch(line)
        if m is None or (indent is not None and m[1] != indent):
            return None
        indent = m[1]
        event = LineDict(line=n)
        ev_lines, ev_raw = event.key_lines, event.raw
        for pair in m[2].split(", "):
            k, v = pair.split(": ")
            k = _word(k)
            if k in ev_lines:
                return None
            ev_lines[k], ev_raw[k], event[k] = n, v, _word(v)
        events.append(event)
    top[key] = events
    return top


def parse_yaml(text: str, path: str, loader_class=None):
    check_lines(text, path)
    if loader_class is None:
        data = _plain_case_file(text)
        if data is not None:
            return data
    try:
        loader = (loader_class or _SafeLineLoader)(text)
    except yaml.reader.ReaderError as e:  # the pure-Python reader checks up front, before any parsing
        raise _not_allowed(path, text, e) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" not in text and "<<" not in text:
            # No alias without a `*`, so the nodes are the file's, already size-limited.
            return _build_plain(loader, node)
        _check_expansion(node)
        return loader.construct_document(node)
    except InputProblem as p:
        raise InputProblem(path, p.error.line, p.error.message) from None
    except yaml.reader.ReaderError as e:  # libyaml's reader checks as it goes
        raise _not_allowed(path, text, e) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(x for x in (e.context, e.problem) if x)
        raise InputProblem(path, line, f"not valid YAML: {what}") from None
    except yaml.YAMLError as e:
        raise InputProblem(path, None, f"not valid YAML: {e}") from None
    except RecursionError:
        raise InputProblem(path, None, f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()


def _not_allowed(path: str, text: str, e: yaml.reader.ReaderError) -> InputProblem:
    """A character YAML does not allow, named with its line. Found in the text by the pure-Python
    reader's own pattern: libyaml gives neither the character nor a position in characters."""
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    pos, char = (found.start(), ord(found.group())) if found else (e.position, None)
    what = f"character {char:#x}" if char is not None else "a character"
    return InputProblem(path, text.count("\n", 0, pos) + 1, f"not valid YAML: {what} is not allowed in YAML text")


class _LineJSONDecoder(json.JSONDecoder):
    """json's own decoder, with objects built as LineDicts (via the pure-Python scanner)."""

    def __init__(self, text: str):
        super().__init__(parse_int=_int_as_written)
        newlines = [i for i, ch in enumerate(text) if ch == "\n"]

        def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
            start = s_and_end[1] - 1
            pairs, end = json.decoder.JSONObject(s_and_end, strict, scan_once, None, list, memo)
            line = bisect.bisect_right(newlines, start) + 1
            obj = LineDict(line=line)
            for k, v in pairs:
                if k in obj:
                    raise InputProblem("", line, f"duplicate key {k!r} in the object starting on this line")
                obj[k] = v
            return obj, end

        self.parse_object = parse_object
        self.scan_once = json.scanner.py_make_scanner(self)


def parse_json(text: str, path: str):
    try:
        return _LineJSONDecoder(text).decode(text)
    except InputProblem as p:
        raise InputProblem(path, p.error.line, p.error.message) from None
    except json.JSONDecodeError as e:
        raise InputProblem(path, e.lineno, f"not valid JSON: {e.msg}") from None
    except RecursionError:
        raise InputProblem(path, None, "nested too deeply") from None


def load_document(path: str, notes: list | None = None):
    """The data in a .json, .yaml or .yml file (a warning about its encoding appended to notes)."""
    if path.lower().endswith(".json"):
        return parse_json(read_text(path, MAX_JSON_BYTES, notes), path)
    return parse_yaml(read_text(path, MAX_YAML_BYTES, notes), path)
