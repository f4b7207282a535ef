#!/usr/bin/env bash
# Write throughput, SQLite target vs PostgreSQL target, over the same
# documents. Not a test: run by hand, figures go to docs/postgresql.md.
#
#   throughput.sh XMLSHRED COPIES DIR...
#
# Copies every *.xml of DIR... COPIES times with the application id and the
# contact ids shifted per copy (so rows never collide and contacts are not
# shared across copies), imports them into a SQLite source and into
# PostgreSQL (a throw-away server from with_server.sh), then converts them
# with both reference contracts into a SQLite and a PostgreSQL target,
# printing records and seconds per run.
set -euo pipefail

[[ $# -ge 3 ]] || { echo "usage: throughput.sh XMLSHRED COPIES DIR..." >&2; exit 2; }
xmlshred=$(realpath "$1")
copies=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
contracts=("$here/../../examples/contracts/credit_card.json"
           "$here/../../examples/contracts/rec_lending.json")
work=$(mktemp -d "${TMPDIR:-/tmp}/xmlshred-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Application ids reach 1.8e7 and contact ids 1.5e6 in the corpus: these
# steps keep every shifted id inside a PostgreSQL integer for 100 copies.
python3 - "$work/docs" "$copies" "$@" <<'EOF'
import pathlib, re, sys
out, copies, dirs = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
app_step, contact_step = 20_000_000, 2_000_000
for copy in range(copies):
    folder = out / f"copy{copy:03d}"
    folder.mkdir(parents=True)
    for d in dirs:
        for path in sorted(pathlib.Path(d).glob("*.xml")):
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            text = re.sub(r'(<Request ID=")(\d+)"',
                          lambda m: f'{m[1]}{int(m[2]) + copy * app_step}"',
                          text, count=1)
            text = re.sub(r'(con_id=")(\d+)"',
                          lambda m: f'{m[1]}{int(m[2]) + copy * contact_step}"',
                          text)
            (folder / path.name).write_text(text, encoding="utf-8",
                                            errors="surrogateescape")
EOF

contract_args=()
for c in "${contracts[@]}"; do contract_args+=(--contract "$c"); done

timed_run() {  # LABEL SOURCE TARGET
  local start end
  start=$(date +%s.%N)
  "$xmlshred" --log-level warn run --source "$2" --target "$3" \
    "${contract_args[@]}" --events "$work/$1.events" \
    --summary-json "$work/$1.json" >/dev/null 2>"$work/$1.log" || true
  end=$(date +%s.%N)
  python3 - "$1" "$work/$1.json" "$start" "$end" <<'EOF'
import json, sys
label, summary, start, end = sys.argv[1:]
s = json.load(open(summary))
seconds = float(end) - float(start)
written = s.get("converted", 0) + s.get("rejected", 0) + s.get("failed", 0)
print(f"{label}: {written} records in {seconds:.1f} s = "
      f"{written / seconds:.1f} records/s (converted {s.get('converted')})")
EOF
}

"$xmlshred" --log-level warn import "$work/docs" \
  --source "sqlite:$work/source.db" "${contract_args[@]}" 2>/dev/null || true
timed_run sqlite "sqlite:$work/source.db" "sqlite:$work/target.db"

handle="$work/server"
"$here/with_server.sh" start "$handle"
trap '"$here/with_server.sh" stop "$handle"; rm -rf "$work"' EXIT
pg_url=$("$here/with_server.sh" exec "$handle" \
  bash -c 'echo "$XMLSHRED_TEST_POSTGRESQL_URL"')
"$xmlshred" --log-level warn import "$work/docs" --source "$pg_url" \
  "${contract_args[@]}" 2>/dev/null || true
timed_run postgresql "$pg_url" "$pg_url"
