"""The import rules import-linter cannot state: allowlists, and a lazy-only import.

- ``drivers`` imports only the standard library, pyserial (``serial``), python-escpos (``escpos``),
  ``qrcode`` and Pillow (``PIL``), besides its own modules;
- ``kiosk.domain`` imports only the standard library and itself;
- ``sync.protocol`` (once it exists) imports only the standard library and itself;
- ``kiosk.app`` imports PySide6 only inside functions (the pyproject's PySide6 contract lets
  ``kiosk.app -> PySide6`` through for that one lazy import).

Anything else, first-party or third-party, new or old, is a violation. Run by
tests/test_import_contracts.py on the real tree and on each deliberately broken copy:

    .venv/bin/python tests/import_allowlists.py [--root DIR]   # exit 1 and one line per violation
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT_PACKAGES = ("kiosk", "drivers", "sync")

# package -> the top-level imports it may use besides the standard library and its own modules
ALLOWLISTS: dict[str, frozenset[str]] = {
    "drivers": frozenset({"serial", "escpos", "qrcode", "PIL"}),
    "kiosk.domain": frozenset(),
    "sync.protocol": frozenset(),
}
LAZY_ONLY: dict[str, frozenset[str]] = {"kiosk.app": frozenset({"PySide6"})}


def _is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _allowed(imported: str, package: str, extra: frozenset[str]) -> bool:
    top = imported.partition(".")[0]
    if _is_within(imported, package):
        return True
    if top in ROOT_PACKAGES:  # another first-party package: not on any allowlist
        return False
    return top in sys.stdlib_module_names or top in extra


def allowlist_violations(graph) -> list[str]:
    found = []
    for package, extra in ALLOWLISTS.items():
        if package not in graph.modules:
            continue  # optional: sync.protocol is checked from the day it exists
        for importer in sorted({package} | graph.find_descendants(package)):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if _allowed(imported, package, extra):
                    continue
                lines = ", ".join(f"l.{d['line_number']}"
                                  for d in graph.get_import_details(importer=importer, imported=imported))
                found.append(f"{package} allowlist: {importer} -> {imported} ({lines})")
    return found


def _module_level_imports(tree: ast.Module):
    """Imports that run when the module is imported: everything outside def and lambda bodies."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module, node.lineno
        else:
            pending.extend(ast.iter_child_nodes(node))


def lazy_only_violations(root: Path) -> list[str]:
    found = []
    for module, lazy in LAZY_ONLY.items():
        path = root.joinpath(*module.split(".")).with_suffix(".py")
        if not path.exists():
            continue
        for name, line in _module_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if name.partition(".")[0] in lazy:
                found.append(f"{module} imports {name} at module level (l.{line}): only inside functions")
    return sorted(found)


def violations(root: Path) -> list[str]:
    import grimp

    root = root.resolve()
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    graph = grimp.build_graph(*ROOT_PACKAGES, include_external_packages=True, cache_dir=None)
    for package in ROOT_PACKAGES:  # the tree analysed must be the one asked for
        origin = Path(sys.modules[package].__file__ or "") if package in sys.modules else None
        if origin is None:
            __import__(package)
            origin = Path(sys.modules[package].__file__ or "")
        if root not in origin.resolve().parents:
            raise RuntimeError(f"{package} was found at {origin}, not under {root}")
    return allowlist_violations(graph) + lazy_only_violations(root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the directory holding kiosk/, drivers/ and sync/")
    args = parser.parse_args(argv)
    found = violations(args.root)
    for line in found:
        print(line)
    print(f"import allowlists: {len(found)} violation(s)" if found else "import allowlists: kept")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
