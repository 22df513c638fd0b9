#!/usr/bin/env bash
# Builds every module's DocC catalog (Sources/<Module>/<Module>.docc) into .build/docs/<Module>.doccarchive and
# fails on any DocC warning: a symbol link that no longer resolves, a parameter left out of a documented list.
# Symbol graphs come from the debug build (internal symbols included, as the catalogs describe internals too).
# DocC links only within a module here: name another module's symbols in code voice (`Kafka.KafkaError`).
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
DOCC=${DOCC:-$(command -v docc || echo "$(dirname "$(command -v "$SWIFT")")/docc")}
if [[ ! -x "$DOCC" ]]; then
    echo "build-docs: docc not found (set DOCC=/path/to/docc; it ships with the Swift toolchain)" >&2
    exit 1
fi

"$SWIFT" package dump-symbol-graph --minimum-access-level internal >/dev/null
graphs=$(ls -d .build/*/symbolgraph | head -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p .build/docs
failed=0
for catalog in Sources/*/*.docc; do
    module=$(basename "$catalog" .docc)
    mkdir -p "$work/$module"
    cp "$graphs/$module.symbols.json" "$work/$module/"
    cp "$graphs/$module"@*.symbols.json "$work/$module/" 2>/dev/null || true
    log="$work/$module.log"
    "$DOCC" convert "$catalog" \
        --additional-symbol-graph-dir "$work/$module" \
        --output-path ".build/docs/$module.doccarchive" \
        --fallback-display-name "$module" \
        --fallback-bundle-identifier "leadsync.$module" >"$log" 2>&1 || { cat "$log"; failed=1; continue; }
    warnings=$(grep -c '^warning\|^error' "$log" || true)
    if [[ "$warnings" -gt 0 ]]; then
        grep -A4 '^warning\|^error' "$log"
        echo "build-docs: $module: $warnings warning(s)"
        failed=1
    else
        echo "build-docs: $module: .build/docs/$module.doccarchive"
    fi
done
exit $failed
