#!/usr/bin/env bash
# Kills nianbao mid-save, again and again, and checks that nothing was lost or damaged: every
# record still parses, every approved record has its numbered history copy, and the next run
# leaves no temporary file behind.
#   bash scripts/kill-trial.sh [KILLS]        # default 1000 of each kind
# Two kinds: `nianbao approve --auto` over a folder of 40 reports, and the window's own saves
# (examples/save_loop.rs: confirm, undo, approve, reopen, each saved as the window saves it).
# Needs a release build: cargo build --release --locked && cargo build --release --locked --example save_loop
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-1000}
target=${CARGO_TARGET_DIR:-target}
bin=${BIN:-$target/release/nianbao}
loop=${LOOP:-$target/release/examples/save_loop}
[ -x "$bin" ] && [ -x "$loop" ] || { echo "build first: cargo build --release --locked --bin nianbao --example save_loop" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

lost=0; damaged=0; no_copy=0; left=0

# Checks one folder's records after a kill; counts what is wrong. `export` reads every record
# and exits with 2 if one cannot be read; each approved record needs a history copy with its seal.
check_records() {
  local records=$1/nianbao-records
  [ -d "$records" ] || return 0
  local status=0
  "$bin" export "$1" --to "$work/verify.csv" >/dev/null 2>"$work/verify.err" || status=$?
  if [ "$status" -eq 2 ]; then
    damaged=$((damaged + 1)); echo "damaged: $(cat "$work/verify.err")" >&2
    cp -r "$records" "$work/damaged-$(date +%s%N)"
  fi
  for record in "$records"/*.ron; do
    [ -e "$record" ] || continue
    grep -q "^  state: Approved," "$record" || continue
    local stem seal
    stem=$(basename "$record" .ron)
    seal=$(grep -o 'seal: "[0-9a-f]*"' "$record" || true)
    if [ -z "$seal" ] || ! grep -lqs -- "$seal" "$records/history/$stem".v*.ron; then
      no_copy=$((no_copy + 1)); echo "approved without its history copy: $record" >&2
    fi
  done
}

echo "== approve --auto, killed $kills times"
mkdir -p "$work/folder"
for n in $(seq -w 1 20); do
  cp assets/samples/001_*.txt "$work/folder/${n}a.txt"
  cp assets/samples/002_*.txt "$work/folder/${n}b.txt"
done
for i in $(seq 1 "$kills"); do
  rm -rf "$work/folder/nianbao-records"
  "$bin" approve --auto "$work/folder" >/dev/null 2>&1 & pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 250)))"
  kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  check_records "$work/folder"
  # The next run finishes what was left, and its first save clears the leftovers.
  "$bin" approve --auto "$work/folder" >/dev/null 2>&1 || { lost=$((lost + 1)); echo "the next run failed" >&2; }
  approved=$(ls "$work/folder/nianbao-records"/*.ron 2>/dev/null | wc -l)
  [ "$approved" -eq 40 ] || { lost=$((lost + 1)); echo "round $i: $approved of 40 records" >&2; }
  check_records "$work/folder"
  if [ $((i % 100)) -eq 0 ]; then echo "$i kills: $damaged damaged, $no_copy without copy, $lost lost"; fi
done

echo "== the window's saves, killed $kills times"
mkdir -p "$work/window"; saved=0
cp assets/samples/001_*.txt "$work/window/r.txt"
for i in $(seq 1 "$kills"); do
  "$loop" "$work/window/r.txt" >/dev/null 2>&1 & pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 400 + 20)))"
  kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  # Killed before its first save, there is nothing to lose; after it, the record must stay.
  if [ -f "$work/window/nianbao-records/r.txt.ron" ]; then saved=1
  elif [ "$saved" -eq 1 ]; then lost=$((lost + 1)); echo "round $i: the record is gone" >&2; fi
  check_records "$work/window"
  if [ $((i % 100)) -eq 0 ]; then echo "$i kills: $damaged damaged, $no_copy without copy, $lost lost"; fi
done
# One save more cleans what the kills left; then nothing temporary remains.
"$bin" approve --auto "$work/folder" >/dev/null 2>&1 || true
timeout 2 "$loop" "$work/window/r.txt" >/dev/null 2>&1 || true
left=$(find "$work" -name '.*.tmp-*' | wc -l)
echo "kill trial: $kills + $kills kills: $lost lost, $damaged damaged, $no_copy approved without a history copy, $left temporary files left after the next run"
[ "$lost" -eq 0 ] && [ "$damaged" -eq 0 ] && [ "$no_copy" -eq 0 ] && [ "$left" -eq 0 ]
