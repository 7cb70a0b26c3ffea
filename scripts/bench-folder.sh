#!/usr/bin/env bash
# Times `nianbao check` over a province's folder, the figure the README's speed section gives:
# the five samples copied until the folder holds REPORTS text reports, checked RUNS times, each
# run alternating with `grep -rc 总计` over the same files for scale. The folder is read once
# first and every run follows another at once: the development machine pages out what a minute
# leaves untouched, and a run after a pause reads the reports from the disk again.
#
#   bash scripts/bench-folder.sh [REPORTS] [RUNS]    # defaults: 10000 reports, 10 runs
#
# Runs target/release/nianbao (built if missing), or NIANBAO_BIN. The folder is kept in
# ${TMPDIR:-/tmp}/nianbao-province-REPORTS for the next time. Needs /usr/bin/time for the peak
# memory (bash scripts/setup-debian.sh bench).
set -euo pipefail
cd "$(dirname "$0")/.."
reports=${1:-10000}
runs=${2:-10}
samples=(assets/samples/*.txt)
if ! [[ $reports =~ ^[0-9]+$ && $runs =~ ^[0-9]+$ ]] || ((reports == 0 || runs == 0 || reports % ${#samples[@]} != 0)); then
  echo "usage: bash scripts/bench-folder.sh [REPORTS, a multiple of ${#samples[@]}] [RUNS]" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "/usr/bin/time is missing: bash scripts/setup-debian.sh bench" >&2
  exit 2
fi
bin=${NIANBAO_BIN:-target/release/nianbao}
[ -n "${NIANBAO_BIN:-}" ] || [ -x "$bin" ] || cargo build --release --locked

folder="${TMPDIR:-/tmp}/nianbao-province-$reports"
# A folder kept from before is used again only if it holds as many reports, of these samples.
made() {
  [ "$(find "$folder" -maxdepth 1 -name '*.txt' 2>/dev/null | wc -l)" -eq "$reports" ] || return 1
  for sample in "${samples[@]}"; do
    cmp -s "$sample" "$folder/000000_${sample##*/}" || return 1
  done
}
if ! made; then
  echo "making $folder: $reports copies of the samples"
  rm -rf "$folder"
  mkdir -p "$folder"
  copies=$((reports / ${#samples[@]}))
  for sample in "${samples[@]}"; do
    # One `tee` writes a sample to many files: a process for each copy would take half a minute.
    name=${sample##*/}
    for ((i = 0; i < copies; i++)); do
      printf '%s/%06d_%s\n' "$folder" "$i" "$name"
    done | xargs -d '\n' sh -c 'tee "$@" < "$0" > /dev/null' "$sample"
  done
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Runs a command with its output thrown away. Exit status 1 is an answer (a report that fails
# its checks; a file without the word), anything else an error that stops the measurement.
quietly() {
  local status=0
  "$@" > /dev/null || status=$?
  if ((status > 1)); then
    echo "failed with exit status $status: $*" >&2
    exit 1
  fi
}
quietly "$bin" check "$folder" # reads the reports into the page cache
for ((r = 0; r < runs; r++)); do
  quietly /usr/bin/time -a -o "$log" -f 'check %e %U %S %M' "$bin" check "$folder"
  quietly /usr/bin/time -a -o "$log" -f 'grep %e %U %S %M' grep -rc 总计 "$folder"
done

# The median of one column (wall, or user plus system time, or peak KB) of one command's runs.
median() {
  awk -v what="$1" -v column="$2" '$1 == what {
      print (column == "cpu" ? $3 + $4 : column == "wall" ? $2 : $5)
    }' "$log" | sort -g | awk '{ v[NR] = $1 } END {
      if (NR == 0) exit 1
      print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)
    }'
}
check_wall=$(median check wall)
check_cpu=$(median check cpu)
check_kb=$(median check peak)
grep_wall=$(median grep wall)
awk -v n="$reports" -v runs="$runs" -v w="$check_wall" -v c="$check_cpu" -v kb="$check_kb" -v g="$grep_wall" 'BEGIN {
  printf "%d text reports, %s of %d run%s\n", n, (runs > 1 ? "medians" : "the time"), runs, (runs > 1 ? "s" : "")
  printf "  nianbao check:  %.3f s wall, %.3f s CPU (%.4f ms a report), %.0f MB peak\n", w, c, c * 1000 / n, kb / 1024
  printf "  grep -rc 总计:  %.3f s wall", g
  if (g > 0) printf "; check took %.1f times as long", w / g
  printf "\n"
}'
