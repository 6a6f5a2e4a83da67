"""Validation core: typed conversion of plain mappings into frozen dataclasses.

:func:`from_mapping` checks each field's type and its allowed range (field metadata made
with :func:`rng`), refuses unknown keys, and raises :class:`ConfigError` with a message
that names the full config path, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping
from typing import Any


class ConfigError(ValueError):
    """A user error in a config or territory file: one line, field, value, what is allowed."""


def rng(lo=None, hi=None, *, lo_open=False, hi_open=False, choices=None):
    """Field metadata: the allowed range (or set of values) of a config field."""
    return {"lo": lo, "hi": hi, "lo_open": lo_open, "hi_open": hi_open, "choices": choices}


def _check_range(path: str, value: Any, meta: Mapping) -> None:
    choices = meta.get("choices")
    if choices is not None and value not in choices:
        raise ConfigError(f"{path} = {value!r}: must be one of {', '.join(map(str, choices))}")
    lo, hi = meta.get("lo"), meta.get("hi")
    values = value if isinstance(value, (tuple, list)) else [value]
    for v in values:
        if not isinstance(v, (int, float)):
            continue
        if lo is not None and (v < lo or (meta.get("lo_open") and v == lo)):
            raise ConfigError(f"{path} = {value!r}: {_describe(meta)}")
        if hi is not None and (v > hi or (meta.get("hi_open") and v == hi)):
            raise ConfigError(f"{path} = {value!r}: {_describe(meta)}")


def _describe(meta: Mapping) -> str:
    lo, hi = meta.get("lo"), meta.get("hi")
    left = "" if lo is None else f"{'>' if meta.get('lo_open') else '≥'} {lo}"
    right = "" if hi is None else f"{'<' if meta.get('hi_open') else '≤'} {hi}"
    return "must be " + " and ".join(p for p in (left, right) if p)


def _convert(path: str, value: Any, tp: Any) -> Any:
    """Convert ``value`` to the annotated type ``tp`` or raise a ConfigError naming ``path``."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _convert(path, value, args[0])
    if dataclasses.is_dataclass(tp):
        return from_mapping(tp, value, path)
    if origin is tuple:
        (item,) = {a for a in typing.get_args(tp) if a is not Ellipsis}
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__") or isinstance(value, Mapping):
            raise ConfigError(f"{path} = {value!r}: must be a list")
        return tuple(_convert(f"{path}[{i}]", v, item) for i, v in enumerate(value))
    if origin is dict:
        _, val_tp = typing.get_args(tp)
        if not isinstance(value, Mapping):
            raise ConfigError(f"{path} = {value!r}: must be a mapping")
        return {str(k): _convert(f"{path}.{k}", v, val_tp) for k, v in value.items()}
    if tp is Any:
        return value
    if tp in _SCALARS:
        return _SCALARS[tp](path, value)
    raise TypeError(f"unsupported config type {tp!r} at {path}")


def _to_bool(path: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{path} = {value!r}: must be true or false")
    return value


def _to_int(path: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ConfigError(f"{path} = {value!r}: must be an integer")
    return value


def _to_float(path: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{path} = {value!r}: must be a number")
    if value != value:  # NaN
        raise ConfigError(f"{path} = {value!r}: must be a number, not NaN")
    return float(value)


#: Fields (last key of the path) that hold INSEE commune codes; ``route.<day>`` too.
COMMUNE_CODE_KEYS = ("commune", "area", "cabines")
#: INSEE commune codes have five characters; a smaller number cannot be one as written.
_SHORTEST_NUMERIC_CODE = 10_000


def _to_str(path: str, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        if value < _SHORTEST_NUMERIC_CODE and _holds_commune_codes(path):
            raise ConfigError(_unquoted_code(path, value))
        return str(value)  # ids and INSEE codes written without quotes in YAML
    if not isinstance(value, str):
        raise ConfigError(f"{path} = {value!r}: must be a string")
    return value


def _holds_commune_codes(path: str) -> bool:
    """Whether the field at ``path`` (``territory.er_sites[0].commune``…) holds commune codes."""
    parts = path.split(".")
    return parts[-1].split("[")[0] in COMMUNE_CODE_KEYS or (len(parts) > 1 and parts[-2] == "route")


def _unquoted_code(path: str, value: int) -> str:
    """The message for a commune code YAML read as a number: ``01001`` unquoted is the
    octal number 513 in YAML 1.1, which Hydra uses; the code's text is lost, so ask for quotes."""
    octal = "0" + format(value, "o")
    example = octal if len(octal) == 5 else "01001"
    guess = f"{octal} as the octal number {value}" if len(octal) == 5 else "01001 as the octal number 513"
    return (f"{path} = {value}: a number where an INSEE commune code is expected; unquoted, a code with a "
            f"leading zero is read by YAML as a number ({guess}): write the code in quotes, "
            f"e.g. \"{example}\"")


#: Converters of the scalar field types, each raising a ConfigError that names the path.
_SCALARS: dict[Any, Any] = {bool: _to_bool, int: _to_int, float: _to_float, str: _to_str}


def from_mapping(cls, data: Mapping | None, path: str):
    """Build dataclass ``cls`` from ``data``; unknown keys and bad values raise ConfigError."""
    data = {} if data is None else data
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path} = {data!r}: must be a mapping")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(map(str, data)) - names)
    if unknown:
        raise ConfigError(
            f"{path}.{unknown[0]}: unknown key; allowed keys are {', '.join(sorted(names))}"
        )
    kwargs = {}
    for f in dataclasses.fields(cls):
        sub = f"{path}.{f.name}" if path else f.name
        if f.name not in data:
            continue
        value = _convert(sub, data[f.name], hints[f.name])
        if f.metadata:
            _check_range(sub, value, f.metadata)
        kwargs[f.name] = value
    obj = cls(**kwargs)
    check = getattr(obj, "check", None)
    if check is not None:
        check(path)
    return obj


def merge(base: Mapping, delta: Mapping) -> dict:
    """Recursive dict merge (delta wins); used to apply a scenario's lever delta."""
    out = dict(base)
    for k, v in (delta or {}).items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = merge(out[k], v)
        else:
            out[k] = v
    return out


def check_date(path: str, value: str, *, allow_empty: bool = True) -> dt.date | None:
    """Parse an ISO date field ("" = unset when ``allow_empty``)."""
    if value == "" and allow_empty:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{path} = {value!r}: must be a date YYYY-MM-DD") from None
