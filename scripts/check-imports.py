#!/usr/bin/env python3
"""Every module a target imports is one it declares in Package.swift; the layering rules hold.

SwiftPM builds a target that imports a module it does not declare as long as some other target pulls that module
into the build, so an undeclared import compiles today and breaks the day the other target drops it. This script
reads the manifest (`swift package dump-package`), collects each target's `import X` lines from its directory and
prints every imported module that is neither a declared dependency (a target, or a product's module) nor part of
the toolchain, and every target that depends (directly or through others) on a module its layer forbids: the
production roles (Roles) on no sandbox, the fold and the delivery runtime not on Topics (Yams, the Strimzi
renderer). Exit status 1 when it prints anything.

Usage: scripts/check-imports.py   (from the package root; `make check-imports`)
"""

import json
import pathlib
import re
import subprocess
import sys

# Modules that come with the toolchain or the platform, never declared in Package.swift.
TOOLCHAIN = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "Dispatch", "Glibc", "Musl",
    "Darwin", "Synchronization", "Observation", "RegexBuilder", "Testing", "XCTest", "_Concurrency",
    "_StringProcessing", "Swift", "os", "CoreFoundation",
}

# A product whose module names differ from the product's name (a product not listed here is one module of its name).
PRODUCT_MODULES = {
    "Crypto": {"Crypto"},
    "_CryptoExtras": {"_CryptoExtras"},
}

# Targets and the modules they must not reach, directly or through their dependencies.
FORBIDDEN = {
    "Roles": {"SandboxMarketo", "SandboxSalesforce", "SandboxSupport", "Embedded", "Simulation"},
    "Fold": {"Topics"},
    "Delivery": {"Topics"},
    "MarketoWriter": {"SandboxMarketo", "SandboxSupport", "Topics"},
    "SalesforceWriter": {"SandboxSalesforce", "SandboxSupport", "Topics"},
}

IMPORT = re.compile(
    r"^\s*(?:@testable\s+|@_exported\s+|@preconcurrency\s+)*"
    r"(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+"
    r"(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)"
)


def main() -> int:
    manifest = json.loads(subprocess.run(
        ["swift", "package", "dump-package"], check=True, capture_output=True, text=True).stdout)
    problems = []
    target_dependencies: dict[str, set[str]] = {}
    for target in manifest["targets"]:
        target_dependencies[target["name"]] = {
            (dependency.get("byName") or dependency.get("target"))[0]
            for dependency in target.get("dependencies", [])
            if "byName" in dependency or "target" in dependency
        }
    for name, forbidden in FORBIDDEN.items():
        reached: set[str] = set()
        pending = list(target_dependencies.get(name, ()))
        while pending:
            module = pending.pop()
            if module not in reached:
                reached.add(module)
                pending.extend(target_dependencies.get(module, ()))
        for module in sorted(reached & forbidden):
            problems.append(f"{name}: depends on {module}, which its layer forbids")
    for target in manifest["targets"]:
        name = target["name"]
        if target["type"] == "system":
            continue
        default = "Tests" if target["type"] == "test" else "Sources"
        directory = pathlib.Path(target.get("path") or f"{default}/{name}")
        declared = {name}
        for dependency in target.get("dependencies", []):
            if "byName" in dependency:
                declared.add(dependency["byName"][0])
            elif "target" in dependency:
                declared.add(dependency["target"][0])
            elif "product" in dependency:
                product = dependency["product"][0]
                declared |= PRODUCT_MODULES.get(product, {product})
        imported: dict[str, str] = {}
        for source in sorted(directory.rglob("*.swift")):
            for line in source.read_text(encoding="utf-8").splitlines():
                match = IMPORT.match(line)
                if match:
                    imported.setdefault(match.group(1), str(source))
        for module, source in sorted(imported.items()):
            if module not in declared and module not in TOOLCHAIN:
                problems.append(f"{name}: imports {module} (first in {source}) without declaring it")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s): declare each import in its target's dependencies in Package.swift; "
              "keep the layers (FORBIDDEN in this script)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
