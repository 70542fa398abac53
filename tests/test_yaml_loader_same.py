"""The case-file YAML loader's shortcuts (tags remembered by text, dates and numbers built once per
text, mappings filled in line) give exactly what PyYAML's own resolver and constructors give, with
libyaml and in pure Python: every value, its type, and every mapping's lines and text as written."""

import datetime as dt
import subprocess
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecheck.inputs import structured
from casecheck.inputs.structured import LineDict, parse_yaml
from casecheck.model import InputProblem

PROP = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCALARS = [
    # dates and times, possible and not
    "2022-01-31", "2024-02-29", "2022-02-30", "2023-13-01", "2022-1-5", "2022-01-01 10:30:00",
    "2022-01-01T10:30:00Z", "2022-01-01t10:30:00.5+01:00", "2022-01-01 10:30:00 -5",
    # numbers as YAML 1.1 reads them
    "0", "7", "-12", "+3", "00123", "0o17", "017", "0x1F", "0b101", "1_000", "1:30", "190:20:30",
    "1" * 5000, "1.5", "-0.0", "1e3", "6.8523015e+5", ".inf", "-.Inf", ".NaN", "1_000.5", "1:30.5",
    # booleans and nulls
    "yes", "No", "TRUE", "false", "on", "OFF", "y", "n", "~", "null", "Null", "NULL", "",
    # strings, plain and quoted
    "referral", "cin_visit", "C0000013-m1", "two words", "'2022-01-31'", '"7"', "'yes'", '"caf\\u00e9"',
    '"tab\\there"', "'it''s'", "=", "<<", "%x", "-", "a: b",
]

key_st = st.sampled_from(["date", "type", "case", "team", "meeting", "7", "yes", "null", "2022-01-01", "'q'", "k"])
scalar_st = st.sampled_from(SCALARS)


def _flow(value):
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return value if value not in ("", "a: b", "-", "%x") else "''"  # a flow item needs a quoted empty


def _block(value, indent=0):
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return " {}\n"
        return "\n" + "".join(f"{pad}{k}:{_block(v, indent + 2)}" for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return " []\n"
        return "\n" + "".join(f"{pad}-{_block(v, indent + 2).lstrip(chr(10)) if not isinstance(v, (dict, list)) else ' ' + _flow(v) + chr(10)}"
                              for v in value)
    return f" {value}\n" if value not in ("a: b", "%x", "-") else " ''\n"


values = st.recursive(scalar_st, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(key_st, inner, max_size=4)), max_leaves=12)


@st.composite
def case_documents(draw):
    """A case file: a top-level mapping, its events as flow or block mappings, any scalars."""
    top = draw(st.dictionaries(key_st, values, max_size=5))
    events = draw(st.lists(st.dictionaries(key_st, scalar_st, min_size=1, max_size=4), max_size=5))
    flow = draw(st.booleans())
    text = "".join(f"{k}:{_block(v, 2)}" for k, v in top.items())
    text += "events:\n" + "".join(f"  - {_flow(e)}\n" if flow else "  - " + _block(e, 4)[1:].lstrip() for e in events)
    if draw(st.integers(0, 9)) == 0:  # an anchor and alias, or a merge key: the generic constructor
        text += "x: &a {date: 2022-01-01}\ny: *a\nz: {<<: *a, type: referral}\n"
    return text


# Words a plain case file (structured._plain_case_file) may hold, of every type they resolve to.
WORDS = ["2022-01-31", "2024-02-29", "2022-02-30", "2022-1-5", "0", "7", "00123", "0o17", "0x1F", "0b101", "1_000",
         "1" * 5000, "1.5", "1e3", "1.5e3", "yes", "No", "TRUE", "on", "OFF", "y", "n", "null", "Null", "NULL", "referral",
         "cin_visit", "C0000013-m1", "4 weeks", "a b c", "x.y", "_z", "2022-01-01 10.30"]
KEYS = ["date", "type", "meeting", "team", "case", "7", "yes", "on", "null", "2022-01-01", "k_1"]
NEAR_MISSES = [" ", "  ", ":", ": ", "#", " #", "'", '"', "\t", ",", ", ", "-", "- ", "{", "}", "[", "&", "*", "!", "|",
               "\n", "\n\n", "\r", "~", "?", "%", "@", "`", "\u00e9", "\ufeff", "---\n", "\\"]


@st.composite
def plain_case_files(draw):
    """Case files in the plain shape (key: value lines, then events: and one flow mapping a line),
    and the same with one character or two inserted somewhere (most no longer plain)."""
    top = draw(st.dictionaries(st.sampled_from(KEYS), st.sampled_from(WORDS), max_size=4))
    indent = draw(st.sampled_from(["", "  ", "    "]))
    events = draw(st.lists(st.dictionaries(st.sampled_from(KEYS), st.sampled_from(WORDS), min_size=1, max_size=4),
                           min_size=1, max_size=6))
    text = "".join(f"{k}: {v}\n" for k, v in top.items()) + "events:\n" + "".join(
        indent + "- {" + ", ".join(f"{k}: {v}" for k, v in e.items()) + "}\n" for e in events)
    if not draw(st.booleans()):
        text = text[:-1]  # no newline at the end
    if draw(st.integers(0, 2)) == 0:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(NEAR_MISSES)) + text[at:]
    return text


class _Reference(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML's own resolver and generic constructor, with the case files' constructors (libyaml's
    parser where PyYAML has it, as the case-file loader uses)."""


class _PureReference(yaml.SafeLoader):
    """The same in pure Python (libyaml and PyYAML's own parser differ on some broken flow text)."""


for _ref in (_Reference, _PureReference):
    _ref.add_constructor("tag:yaml.org,2002:map", structured._construct_map)
    _ref.add_constructor("tag:yaml.org,2002:int", structured._construct_int)
    _ref.add_constructor("tag:yaml.org,2002:timestamp", structured._construct_timestamp)


def _reference(text, cls=_Reference):
    loader = cls(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _shape(value):
    """A value with its exact type and, for a mapping, its lines and text as written."""
    if isinstance(value, LineDict):
        return ("map", value.line, sorted(((repr(k), _shape(v)) for k, v in value.items())),
                sorted((repr(k), v) for k, v in value.key_lines.items()), sorted((repr(k), v) for k, v in value.raw.items()))
    if isinstance(value, list):
        return ["seq", *map(_shape, value)]
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, repr(value))


def _outcome(parse, text):
    try:
        return "ok", _shape(parse(text))
    except InputProblem as p:
        return "problem", p.error.line, p.error.message
    except (yaml.YAMLError, ValueError, AttributeError, TypeError):
        return ("error",)


def _expected(text, cls=_Reference):
    try:
        return "ok", _shape(_reference(text, cls))
    except InputProblem as p:
        return "problem", p.error.line, p.error.message
    except (yaml.YAMLError, ValueError, AttributeError, TypeError):
        return ("error",)


LOADERS = [structured._SafeLineLoader, structured._PureLineLoader]
REFERENCES = {structured._SafeLineLoader: _Reference, structured._PureLineLoader: _PureReference}


@PROP
@given(case_documents())
def test_case_documents_load_exactly_as_pyyaml_builds_them(text):
    for loader in LOADERS:
        want = _expected(text, REFERENCES[loader])
        for _ in range(2):  # the second time from what was remembered
            got = _outcome(lambda t: parse_yaml(t, "f.yaml", loader), text)
            if want[0] == "error":
                assert got[0] in ("error", "problem")
            else:
                assert got == want, loader


@pytest.mark.parametrize("loader", LOADERS)
def test_each_kind_of_scalar_keeps_its_type(loader):
    data = parse_yaml("a: 2022-01-31\nb: 2022-02-30\nc: 00123\nd: yes\ne: ~\nf: '7'\ng: 1.5\nh: 0x1F\n", "f", loader)
    assert data == {"a": dt.date(2022, 1, 31), "b": "2022-02-30", "c": 83, "d": True, "e": None, "f": "7",
                    "g": 1.5, "h": 31}
    assert data.raw["c"] == "00123" and data.key_lines["h"] == 8


def test_without_libyaml_the_pure_python_loader_reads_case_files_the_same(tmp_path):
    """PyYAML built without libyaml (no CSafeLoader): case files load, with the same values and lines."""
    text = "case: C-1\nteam: 00123\nevents:\n  - {date: 2022-01-31, type: referral, n: yes}\n  - date: 2022-02-30\n    type: x\n"
    (tmp_path / "c.yaml").write_text(text)
    script = ("import yaml, sys; del yaml.CSafeLoader\n"
              "from casecheck.inputs import structured as s\n"
              "assert s._SafeLineLoader.__mro__[2] is yaml.SafeLoader\n"
              "d = s.load_document(sys.argv[1])\n"
              "print(repr(d), d.raw, d.key_lines, [(e.line, e.key_lines) for e in d['events']])")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "c.yaml")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    d = structured.load_document(str(tmp_path / "c.yaml"))
    assert out.stdout.strip() == f"{d!r} {d.raw} {d.key_lines} {[(e.line, e.key_lines) for e in d['events']]}"


@pytest.mark.parametrize("loader", LOADERS)
def test_a_duplicate_key_is_named_with_both_lines_by_either_loader(loader):
    with pytest.raises(InputProblem) as e:
        parse_yaml("case: C-1\nevents:\n  - {date: 2022-01-01, type: a, date: 2022-01-02}\nteam: x\n", "f.yaml", loader)
    assert (e.value.error.file, e.value.error.line) == ("f.yaml", 3)
    assert e.value.error.message == "duplicate key 'date' (first on line 3)"


@PROP
@given(plain_case_files())
def test_plain_case_files_read_line_by_line_exactly_as_pyyaml_builds_them(text):
    want = _expected(text)
    for _ in range(2):  # the second time from what was remembered
        got = _outcome(lambda t: parse_yaml(t, "f.yaml"), text)
        if want[0] == "error":
            assert got[0] in ("error", "problem")
        else:
            assert got == want


def test_a_plain_case_file_is_read_without_composing_yaml_nodes():
    text = "case: C-1\nteam: North 2\nevents:\n  - {date: 2022-01-31, type: referral, n: 00123}\n  - {date: 2022-02-30, type: x}\n"
    data = structured._plain_case_file(text)
    assert data is not None and _shape(data) == _shape(parse_yaml(text, "f", structured._SafeLineLoader))
    assert data["events"][0] == {"date": dt.date(2022, 1, 31), "type": "referral", "n": 83}
    assert data["events"][1].raw == {"date": "2022-02-30", "type": "x"} and data["events"][1].line == 5
    # a quoted value, a comment, a repeated key: left to the YAML loader
    for other in ("case: 'C-1'\nevents:\n  - {date: 2022-01-31, type: a}\n", "case: C-1 # x\nevents:\n  - {date: 2022-01-31, type: a}\n",
                  "case: C-1\nevents:\n  - {date: 2022-01-31, type: a, date: 2022-01-31}\n"):
        assert structured._plain_case_file(other) is None
