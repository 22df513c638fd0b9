#!/usr/bin/env bash
# The transactional pipe benchmark: the Swift pipe (`leadsync bench pipe`, over the Kafka module) and the same
# pipe in plain C, on one `leadsync dev-cluster`, for commit sizes 1,000 / 5,000 / 20,000; 300-byte records on
# 32 partitions. Each pipe runs in its own process (peak RSS is the pipe's own); each gets fresh topics loaded
# beforehand by a separate process. Prints a table and the Swift/C ratio per commit size.
#
#   Benchmarks/pipe/run.sh [records]        (default 200000: about 60 MB, within the mock's ~5 MB per partition)
set -euo pipefail
cd "$(dirname "$0")/../.."
records=${1:-200000}
partitions=32
scratch=$(mktemp -d)
trap 'kill "${cluster_pid:-}" 2>/dev/null || true; rm -rf "$scratch"' EXIT

swift build -c release --product leadsync >/dev/null
leadsync=$(swift build -c release --show-bin-path)/leadsync
cc -O2 -o "$scratch/c_pipe" Benchmarks/pipe/c_pipe.c -lrdkafka

"$leadsync" dev-cluster --no-topics --state-file "$scratch/cluster.json" >/dev/null 2>&1 &
cluster_pid=$!
for _ in $(seq 1 100); do [ -s "$scratch/cluster.json" ] && break; sleep 0.1; done
bootstrap=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['bootstrapServers'])" "$scratch/cluster.json")
control=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['controlURL'])" "$scratch/cluster.json")

create_topic() {
    curl -sf -X POST "$control/topics" -H 'Content-Type: application/json' \
        -d "[{\"name\":\"$1\",\"partitions\":$partitions,\"replicationFactor\":1}]" >/dev/null
}

echo "records=$records partitions=$partitions record_size=300 cluster=$bootstrap"
echo "$(uname -srm), $(nproc) cores, librdkafka $(pkg-config --modversion rdkafka)"
results="$scratch/results.jsonl"
for commit in 1000 5000 20000; do
    for impl in c swift; do
        input="in-$impl-$commit"; output="out-$impl-$commit"
        create_topic "$input"; create_topic "$output"
        "$leadsync" bench load --bootstrap-servers "$bootstrap" --topic "$input" --records "$records" --record-size 300 >/dev/null
        if [ "$impl" = c ]; then
            "$scratch/c_pipe" "$bootstrap" "$input" "$output" "$records" "$commit" | tee -a "$results"
        else
            "$leadsync" bench pipe --bootstrap-servers "$bootstrap" --input "$input" --output "$output" \
                --records "$records" --commit-every "$commit" | tee -a "$results"
        fi
    done
done

python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
by = {(r["impl"], r["commit_every"]): r for r in rows}
print()
print("| commit every | C msgs/s | Swift msgs/s | C peak RSS MB | Swift peak RSS MB |")
print("|---:|---:|---:|---:|---:|")
for n in sorted({r["commit_every"] for r in rows}):
    c, s = by[("c", n)], by[("swift", n)]
    print(f"| {n:,} | {c['msgs_per_s']:,.0f} | {s['msgs_per_s']:,.0f} | {c['peak_rss_mb']:.1f} | {s['peak_rss_mb']:.1f} |")
print()
for n in sorted({r["commit_every"] for r in rows}):
    ratio = by[("swift", n)]["msgs_per_s"] / by[("c", n)]["msgs_per_s"]
    print(f"N={n}: Swift/C ratio: {ratio:.2f}")
PY
