#!/usr/bin/env bash
# Index throughput on the INF corpus in tests/corpora replicated to at least TARGET_MB (default 100), peak
# memory, and the re-index of the unchanged corpus (issue 3 targets: >= 100 MB/s on one core,
# peak RSS <= 100 MB whatever the corpus size, unchanged re-index <= 5 % of a full index).
#
# usage: bench/index_throughput.sh [TARGET_MB] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
target_mb=${1:-100}
build_dir=${2:-build}
drvaudit=$(realpath "$build_dir/ui-cli/drvaudit")
corpus=tests/corpora
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Replicate every .inf file into copy-N folders until the corpus reaches the target size.
mapfile -d '' infs < <(find "$corpus/inf-open" -type f -iname '*.inf' -print0)
one_copy=$(du -cb "${infs[@]}" | tail -1 | cut -f1)
copies=$(( (target_mb * 1024 * 1024 + one_copy - 1) / one_copy ))
for ((i = 0; i < copies; i++)); do
  dir=$work/corpus/copy-$i
  mkdir -p "$dir"
  n=0
  for f in "${infs[@]}"; do cp "$f" "$dir/$n-$(basename "$f")"; n=$((n + 1)); done
done
bytes=$(du -cb "$work/corpus" | tail -1 | cut -f1)
files=$(find "$work/corpus" -type f | wc -l)
echo "corpus: $files INF files, $((bytes / 1024 / 1024)) MiB ($copies copies of ${#infs[@]} files)"

measure() {  # label, then the command; prints wall seconds and peak RSS
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2>&1
  read -r seconds rss_kb < "$work/time"
  echo "$label: ${seconds} s, peak RSS $((rss_kb / 1024)) MiB"
  echo "$seconds"> "$work/$label.seconds"
}
measure full taskset -c 0 "$drvaudit" --state-dir "$work/state" catalog index "$work/corpus"
tail -2 "$work/out" | head -1
measure unchanged taskset -c 0 "$drvaudit" --state-dir "$work/state" catalog index "$work/corpus"
tail -2 "$work/out" | head -1
full=$(cat "$work/full.seconds"); unchanged=$(cat "$work/unchanged.seconds")
python3 -c "import sys; b,f,u=$bytes,$full,$unchanged; print(f'throughput: {b/1048576/f:.1f} MiB/s; unchanged re-index: {100*u/f:.1f} % of the full index')"
