"""``record``: a dataclass that costs nothing at import.

``@dataclass(frozen=True)`` writes and compiles six methods (__init__,
__repr__, __eq__, __hash__, __setattr__, __delattr__) for its class each time
the module is imported: a fifth of a cold ``thongbao render`` went on the
two dozen classes of the model, the render plan and the style profiles.
``@record(frozen=True)`` makes the same class from shared methods written once
here (compiled into this module's bytecode), and compiles the class's
``__init__`` only once it has made a few instances: a notice read back from
the user cache (generator/cache.py) is unpickled, never made, so its classes
never compile one, nor do the two style profiles.

The class is a dataclass to everything else: ``dataclasses.fields``,
``replace``, ``asdict`` and ``is_dataclass`` work on it (it has the same
``__dataclass_fields__``), it compares, hashes, prints and refuses
assignment as the dataclass would, raising the same errors, and it pickles
the same. Only what the model uses is offered: ``frozen`` and ``eq``;
``field()`` with a default, a default factory, ``compare``, ``hash`` and
``repr``.
"""

from __future__ import annotations

import dataclasses
import reprlib
from operator import attrgetter
from types import SimpleNamespace

__all__ = ["record"]

_MISSING = dataclasses.MISSING
# What dataclasses marks a real field with (not a ClassVar or an InitVar): fields() keeps only these.
_FIELD = dataclasses._FIELD  # type: ignore[attr-defined]
_FROZEN = dataclasses.FrozenInstanceError
# Annotations a record does not handle (dataclasses would treat them apart).
_UNSUPPORTED = ("ClassVar", "typing.ClassVar", "InitVar", "dataclasses.", "KW_ONLY")


class _HasFactory:
    def __repr__(self) -> str:
        return "<factory>"


_HAS_FACTORY = _HasFactory()


def record(cls=None, /, *, frozen: bool = False, eq: bool = True):
    """Like ``dataclasses.dataclass(cls, frozen=frozen, eq=eq)``, without compiling at import."""

    def wrap(cls):
        return _process(cls, frozen, eq)

    return wrap if cls is None else wrap(cls)


def _process(cls, frozen: bool, eq: bool):
    fields: dict[str, dataclasses.Field] = {}
    for base in cls.__mro__[-1:0:-1]:
        fields.update(getattr(base, "__dataclass_fields__", {}))
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063 (as dataclasses reads them)
        if isinstance(annotation, str) and annotation.startswith(_UNSUPPORTED):
            raise TypeError(f"record {cls.__qualname__}.{name}: {annotation} is not supported")
        default = cls.__dict__.get(name, _MISSING)
        if isinstance(default, dataclasses.Field):
            f = default
            if not f.init or f.kw_only is True:
                raise TypeError(f"record {cls.__qualname__}.{name}: init=False and kw_only are not supported")
            if f.default is not _MISSING and f.default.__class__.__hash__ is None:  # field(default=[]) too
                raise ValueError(f"mutable default {type(f.default)} for field {name} is not allowed: "
                                 "use default_factory")
            if f.default is _MISSING:
                delattr(cls, name)  # as dataclasses does: no class attribute without a plain default
            else:
                setattr(cls, name, f.default)
        else:
            if default.__class__.__hash__ is None:  # as dataclasses says it
                raise ValueError(f"mutable default {type(default)} for field {name} is not allowed: use default_factory")
            f = dataclasses.field(default=default)
        f.name, f.type, f._field_type = name, annotation, _FIELD  # type: ignore[attr-defined]
        f.kw_only = False  # type: ignore[assignment]
        fields[name] = f
    seen_default = False
    for f in fields.values():
        if f.default is not _MISSING or f.default_factory is not _MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")

    cls.__dataclass_fields__ = fields
    cls.__dataclass_params__ = SimpleNamespace(init=True, repr=True, eq=eq, order=False, unsafe_hash=False,
                                               frozen=frozen)
    cls.__match_args__ = tuple(fields)
    names = tuple(fields)
    own = cls.__dict__
    if "__init__" not in own:
        cls.__init__ = _first_init(cls, frozen)
    if "__repr__" not in own:
        cls.__repr__ = _repr_for(cls, tuple(n for n, f in fields.items() if f.repr))
    # As dataclasses: a class's own __eq__ sets its __hash__ to None, which is no hash of its own.
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if eq and "__eq__" not in own:
        cls.__eq__ = _eq_for(cls, _key(tuple(n for n, f in fields.items() if f.compare)))
    if eq and not explicit_hash:
        if frozen:
            cls.__hash__ = _hash_for(cls, _key(tuple(
                n for n, f in fields.items() if (f.compare if f.hash is None else f.hash))))
        else:
            cls.__hash__ = None  # type: ignore[assignment]  # mutable and compared by value: unhashable
    if frozen:
        for method in ("__setattr__", "__delattr__"):
            if method in own:
                raise TypeError(f"Cannot overwrite attribute {method} in class {cls.__name__}")
        cls.__setattr__, cls.__delattr__ = _frozen_for(cls, names)
    return cls


def _method(cls, function, name: str):
    function.__name__ = name
    function.__qualname__ = f"{cls.__qualname__}.{name}"
    function.__module__ = cls.__module__
    return function


def _key(names: tuple[str, ...]):
    """The fields ``names`` of an instance, always as a tuple (as the dataclass compares them)."""
    if not names:
        return lambda self: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return attrgetter(*names)


def _eq_for(cls, key):
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return _method(cls, __eq__, "__eq__")


def _hash_for(cls, key):
    def __hash__(self):
        return hash(key(self))

    return _method(cls, __hash__, "__hash__")


def _repr_for(cls, names: tuple[str, ...]):
    @reprlib.recursive_repr()
    def __repr__(self):
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return _method(cls, __repr__, "__repr__")


def _frozen_for(cls, names: tuple[str, ...]):
    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise _FROZEN(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise _FROZEN(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return _method(cls, __setattr__, "__setattr__"), _method(cls, __delattr__, "__delattr__")


# Instances a class makes through the shared __init__ before its own is compiled: a class made a few
# times (the two style profiles, a render plan) never compiles one.
SHARED_INITS = 8


def _first_init(cls, frozen: bool):
    """An __init__ shared by every record: it fills the fields of the first few instances itself, then
    compiles the class's own and puts it in its place. Any call it does not simply fill (a missing or
    unknown argument) goes to the compiled one, which raises as the dataclass's would."""
    fields = cls.__dataclass_fields__
    names = tuple(fields)
    known = frozenset(names)
    defaults = {n: f.default for n, f in fields.items() if f.default is not _MISSING}
    factories = {n: f.default_factory for n, f in fields.items() if f.default_factory is not _MISSING}
    post_init = hasattr(cls, "__post_init__")
    assign = object.__setattr__ if frozen else setattr
    made = 0

    def __init__(self, *args, **kwargs):
        nonlocal made
        made += 1
        if made <= SHARED_INITS and len(args) <= len(names):
            given = dict(zip(names, args))
            if not kwargs or (kwargs.keys() <= known and not kwargs.keys() & given.keys()):
                given.update(kwargs)
                values = []
                for name in names:
                    if name in given:
                        values.append(given[name])
                    elif name in defaults:
                        values.append(defaults[name])
                    elif name in factories:
                        values.append(factories[name]())
                    else:
                        break
                else:
                    for name, value in zip(names, values):
                        assign(self, name, value)
                    if post_init:
                        self.__post_init__()
                    return
        init = cls.__dict__["__init__"]
        if init is first:
            init = _compile_init(cls, frozen)
            cls.__init__ = init
        init(self, *args, **kwargs)

    first = _method(cls, __init__, "__init__")
    return first


def _compile_init(cls, frozen: bool):
    """The __init__ dataclasses would write for ``cls``: the same parameters, defaults and errors."""
    fields = cls.__dataclass_fields__
    namespace: dict[str, object] = {"__object_setattr": object.__setattr__, "__HAS_FACTORY": _HAS_FACTORY}
    params, lines = [], []
    for name, f in fields.items():
        value = name
        if f.default_factory is not _MISSING:
            namespace[f"__factory_{name}"] = f.default_factory
            params.append(f"{name}=__HAS_FACTORY")
            value = f"__factory_{name}() if {name} is __HAS_FACTORY else {name}"
        elif f.default is not _MISSING:
            namespace[f"__default_{name}"] = f.default
            params.append(f"{name}=__default_{name}")
        else:
            params.append(name)
        lines.append(f"__object_setattr(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    body = "\n".join(f"    {line}" for line in lines) or "    pass"
    source = f"def __init__(self, {', '.join(params)}):\n{body}\n" if params else f"def __init__(self):\n{body}\n"
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), namespace)  # noqa: S102 (our own text, as dataclasses)
    return _method(cls, namespace["__init__"], "__init__")
