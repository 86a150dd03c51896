#!/usr/bin/env bash
# Installs what annostore needs on a Debian machine: the C libraries it links, and with
# --test the tools its tests use. Does nothing for what is already there.
set -euo pipefail

need_apt=()
for pc in libgit2 libdeflate zlib libcrypto; do
  pkg-config --exists "$pc" 2>/dev/null || case "$pc" in
    libgit2) need_apt+=(libgit2-dev) ;;
    libdeflate) need_apt+=(libdeflate-dev) ;;
    zlib) need_apt+=(zlib1g-dev) ;;
    libcrypto) need_apt+=(libssl-dev) ;;
  esac
done
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
command -v git >/dev/null || need_apt+=(git)

if [[ "${1:-}" == "--test" ]]; then
  command -v /usr/bin/time >/dev/null || need_apt+=(time)
  # R reads annostore's CSV/TSV in the end-to-end tests (read.csv, read.delim).
  command -v Rscript >/dev/null || need_apt+=(r-base-core)
  # sshd and ssh-keygen: the sharing tests run a real ssh server on 127.0.0.1.
  { [[ -x /usr/sbin/sshd ]] && command -v ssh-keygen >/dev/null; } || need_apt+=(openssh-server)
fi

if ((${#need_apt[@]})); then
  echo "installing ${need_apt[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [[ "${1:-}" == "--test" ]]; then
  python3 - <<'PY' || python3 -m pip install -q --disable-pip-version-check pytest jsonschema
import importlib.util, sys
sys.exit(0 if all(importlib.util.find_spec(m) for m in ("pytest", "jsonschema")) else 1)
PY
  # pandas reads annostore's CSV/TSV in the end-to-end tests.
  python3 -c 'import pandas' 2>/dev/null \
    || python3 -m pip install -q --disable-pip-version-check pandas
fi
