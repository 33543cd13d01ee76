#!/usr/bin/env bash
# Times a full `drvaudit scan --format json` of this machine (every bus, with pci.ids/usb.ids
# names and module versions) against `lspci -nnk` and `lsusb` as whole processes.
# Target (issue 2): the full scan takes no longer than `lspci -nnk` alone.
#
# usage: bench/scan_vs_lspci.sh [BUILD_DIR]     (results also written to build/bench-scan.md)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
drvaudit=$build_dir/ui-cli/drvaudit
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
command -v hyperfine >/dev/null || { echo "hyperfine is missing: run scripts/setup" >&2; exit 1; }
echo "devices: $("$drvaudit" --state-dir "$state" scan --format json | grep -c '"instance_id"')," \
     "PCI functions: $(ls /sys/bus/pci/devices | wc -l), USB devices: $(ls /sys/bus/usb/devices 2>/dev/null | wc -l)"
# -i: lsusb exits 1 on machines without USB; its time still counts.
hyperfine -N -i --warmup 5 --runs 50 --export-markdown "$build_dir/bench-scan.md" \
  "$drvaudit --state-dir $state scan --format json" \
  "lspci -nnk" \
  "lsusb"
