#!/usr/bin/env bash
# A tour of annostore on the bundled NimbusImage example (Tests/Fixtures).
set -euo pipefail
bin=${1:-.build/release/annostore}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
cd "$(dirname "$0")/.."
fixtures=Tests/Fixtures
out=demo-output
store=$out/lab.annostore
rm -rf "$out"
mkdir -p "$out"

step() {
  local shown=() word
  for word in "$@"; do [[ "$word" == *" "* ]] && shown+=("\"$word\"") || shown+=("$word"); done
  printf '\n$ annostore %s\n' "${shown[*]}"
  "$bin" "$@"
}

step init "$store"
step -C "$store" validate "$fixtures/sample-export.json"
step -C "$store" commit "$fixtures/sample-export.json" --dataset hela -m "first segmentation"
step -C "$store" commit "$fixtures/sample-export-v2.json" --dataset hela -m "after re-segmentation"
step -C "$store" commit "$fixtures/sample-export-v2.json" --dataset hela -m "same file again"
step -C "$store" log
step -C "$store" diff HEAD~1 HEAD --dataset hela
step -C "$store" diff HEAD~1 HEAD --dataset hela --format stat
step -C "$store" tag first-segmentation HEAD~1 -m "figure 2"
step -C "$store" export json --dataset hela --rev first-segmentation -o "$out/back.json"
step -C "$store" export csv --dataset hela --preview 3
step -C "$store" export csv --dataset hela --rev first-segmentation --tsv --undefined NA --sanitize -o "$out/first.tsv"
step -C "$store" status
step -C "$store" verify
printf '\n$ git -C %s log --oneline --stat -1 | tail -4   # plain git reads the store too\n' "$store"
git -C "$store" log --oneline --stat -1 | tail -4
printf '\n$ git init -q --bare -b main %s   # a shared repository (any git server works)\n' "$out/shared.git"
git init -q --bare -b main "$out/shared.git"
step -C "$store" remote add origin "$out/shared.git"
step -C "$store" push
step clone "$out/shared.git" "$out/colleague.annostore"
step -C "$out/colleague.annostore" log -n 1
printf '\nThe store is in %s; the re-exported first revision is %s.\n' "$store" "$out/back.json"
