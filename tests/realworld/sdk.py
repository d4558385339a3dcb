"""Generate an SDK from a specs folder into a temporary one, and import every module of it.

Used by the tests of real-world descriptions: a generated tree is only good if every one of
its modules imports on its own (a module imported first must not trip over a cycle).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.pipeline import build_files
from generator.write import write_tree

_IMPORT_EACH = r"""
import importlib, pkgutil, sys, traceback
package, src, fresh_limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, src)
root = importlib.import_module(package)
names = sorted(m.name for m in pkgutil.walk_packages(root.__path__, package + "."))
step = max(1, len(names) // fresh_limit)
failed = []
for index, name in enumerate(names):
    if index % step == 0:  # imported first, in a fresh module table
        for loaded in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[loaded]
    try:
        module = importlib.import_module(name)
        if ".types." in name:  # every model and recursive alias is built: their references resolve
            import pydantic, typing_extensions
            for value in list(vars(module).values()):
                if isinstance(value, type) and issubclass(value, pydantic.BaseModel) and value.__module__ == name:
                    value.model_rebuild(force=True)
                elif isinstance(value, typing_extensions.TypeAliasType) and value.__module__ == name:
                    pydantic.TypeAdapter(value)
    except Exception:
        failed.append(name + "\n" + traceback.format_exc(limit=-2))
print(len(names))
if failed:
    print("\n".join(failed), file=sys.stderr)
    sys.exit(1)
"""


def generate(specs: Path, out: Path) -> Path:
    """Write the SDK of ``specs`` to ``out``; returns its ``src`` folder."""
    write_tree(build_files(specs), out)
    return out / "src"


def import_each_module(package: str, src: Path, fresh_limit: int = 100_000) -> int:
    """Import every module of ``package`` (found in ``src``) in a child interpreter, and build
    every model and recursive alias of its ``types``; returns how many modules there are. A
    failure raises AssertionError.

    Each module is imported first, in a fresh module table, so that no import order hides a
    cycle; for a large SDK, an evenly spread sample of about ``fresh_limit`` modules is (the
    others are imported after whatever the previous ones loaded)."""
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH, package, str(src), str(fresh_limit)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return int(result.stdout.strip().splitlines()[-1])
