"""generator.records: a record behaves as the dataclass it stands for."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle

import pytest

from generator import records
from generator.records import record


def _pair(frozen: bool):
    """The same class twice, made anew: as a dataclass and as a record (module attributes, to pickle)."""
    made = []
    for kind, decorate in (("Dataclass", dataclasses.dataclass(frozen=frozen)), ("Record", record(frozen=frozen))):
        name = ("Frozen" if frozen else "Mutable") + kind
        ns = {"__module__": __name__, "__qualname__": name,
              "__annotations__": {"name": "str", "when": "dt.date | None", "tags": "tuple[str, ...]",
                                  "note": "str", "items": "list[int]"},
              "when": None, "tags": (), "note": dataclasses.field(default="", compare=False),
              "items": dataclasses.field(default_factory=list)}
        globals()[name] = cls = decorate(type(name, (), ns))
        made.append(cls)
    return made


@pytest.fixture(params=[0, 100], ids=["compiled-init", "shared-init"])
def shared_inits(request, monkeypatch):
    """Every instance through the class's compiled __init__, or through the shared one."""
    monkeypatch.setattr(records, "SHARED_INITS", request.param)


@pytest.mark.parametrize("frozen", [True, False])
def test_a_record_behaves_as_its_dataclass(frozen, shared_inits):
    dc, rec = _pair(frozen)
    for cls in (dc, rec):
        a = cls("x", dt.date(2023, 7, 12), ("t",), note="n1")
        b = cls("x", dt.date(2023, 7, 12), ("t",), note="n2")
        assert dataclasses.is_dataclass(cls) and dataclasses.is_dataclass(a)
        assert [f.name for f in dataclasses.fields(cls)] == ["name", "when", "tags", "note", "items"]
        assert a == b and a != cls("y") and a.__eq__(object()) is NotImplemented
        assert a.items == [] and a.items is not b.items
        assert dataclasses.asdict(a) == {"name": "x", "when": dt.date(2023, 7, 12), "tags": ("t",),
                                         "note": "n1", "items": []}
        changed = dataclasses.replace(a, name="z")
        assert (changed.name, changed.note, changed.when) == ("z", "n1", a.when)
        assert pickle.loads(pickle.dumps(a)) == a and copy.deepcopy(a) == a
        with pytest.raises(TypeError):
            cls()
        with pytest.raises(TypeError):
            cls("x", nope=1)
        with pytest.raises(TypeError):
            dataclasses.replace(a, nope=1)
        if frozen:
            assert hash(cls("x", items=())) == hash(cls("x", note="other", items=()))
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'name'"):
                a.name = "y"
            with pytest.raises(dataclasses.FrozenInstanceError):
                del a.name
        else:
            assert cls.__hash__ is None
            a.name = "y"
            assert a.name == "y"
    a, b = dc("x", None, ("t",)), rec("x", None, ("t",))
    shown = "(name='x', when=None, tags=('t',), note='', items=[])"
    assert (repr(a), repr(b)) == (dc.__name__ + shown, rec.__name__ + shown)
    assert str(dataclasses.fields(dc)) == str(dataclasses.fields(rec))
    if frozen:
        # The same hash as the dataclass: sets and dicts of them iterate alike.
        assert hash(dc("x", None, ("t",), items=())) == hash(rec("x", None, ("t",), items=()))


def test_a_record_reports_bad_calls_as_the_dataclass_does(shared_inits):
    dc, rec = _pair(True)
    messages = []
    for cls in (dc, rec):
        with pytest.raises(TypeError) as missing:
            cls()
        with pytest.raises(TypeError) as unknown:
            cls("x", colour=1)
        messages.append((str(missing.value).replace(cls.__name__, "C"), str(unknown.value).replace(cls.__name__, "C")))
    assert messages[0] == messages[1]
    assert messages[0][0] == "C.__init__() missing 1 required positional argument: 'name'"


def test_a_record_calls_post_init_and_refuses_what_it_does_not_handle(shared_inits):
    @record(frozen=True)
    class Checked:
        n: int

        def __post_init__(self):
            if self.n < 0:
                raise ValueError(self.n)

    assert Checked(1).n == 1
    with pytest.raises(ValueError):
        Checked(-1)
    with pytest.raises(TypeError, match="non-default argument"):
        @record
        class Wrong:
            a: int = 0
            b: int
    with pytest.raises(ValueError, match="mutable default"):
        @record
        class Shared:
            a: list = []  # noqa: RUF012


def test_a_record_compiles_its_init_after_a_few_instances_or_at_the_first_bad_call(monkeypatch):
    monkeypatch.setattr(records, "SHARED_INITS", 3)
    _dc, rec = _pair(True)

    def shared() -> bool:
        return rec.__dict__["__init__"].__code__ is records._first_init(rec, True).__code__

    made = [rec("x"), rec("x", tags=("t",)), rec(name="x", when=None)]
    assert shared() and made[0] == made[2] and made[1].tags == ("t",)
    made.append(rec("x"))
    assert not shared() and made[-1] == made[0]
    _dc, rec = _pair(True)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'name'"):
        rec(when=None)
    assert not shared() and rec("y").name == "y"


def test_a_record_refuses_a_mutable_default_given_through_field_as_the_dataclass_does():
    # field(default=[]) would be one list shared by every instance: dataclasses refuses it, so must a record
    for decorate in (dataclasses.dataclass, record):
        with pytest.raises(ValueError, match="mutable default <class 'list'> for field items"):
            decorate(type("Bad", (), {"__annotations__": {"items": "list[int]"},
                                      "items": dataclasses.field(default=[])}))


@pytest.mark.parametrize("frozen", [True, False])
def test_a_record_with_its_own_eq_hashes_as_the_dataclass_does(frozen):
    def own_eq(self, other):
        return isinstance(other, type(self)) and self.name.lower() == other.name.lower()

    made = [decorate(type("Own", (), {"__annotations__": {"name": "str"}, "__eq__": own_eq}))
            for decorate in (dataclasses.dataclass(frozen=frozen), record(frozen=frozen))]
    dc, rec = made
    assert rec("a") == rec("A")
    assert (rec.__hash__ is None) == (dc.__hash__ is None)
    if dc.__hash__ is not None:
        assert hash(rec("a")) == hash(rec("a"))
