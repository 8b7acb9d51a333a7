# shellcheck shell=bash
# Helpers shared by scripts/test, scripts/demo and the bench/ scripts. Source it; do not run it.
#
# Everything a script starts goes through `spawn` (or start_redis), which records the pid and puts
# the child in its own process group; `varco_cleanup`, installed as the EXIT trap by
# `install_cleanup_trap`, stops those groups and only those, on success, failure and Ctrl-C alike.

VARCO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VARCO_PYTHON=/usr/bin/python3

# Debian 12 packages needed to build, test and run the demo. bench/run adds nginx and wrk.
VARCO_PACKAGES=(
  build-essential cmake pkg-config
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libssl-dev libxml2-dev libxmlsec1-dev libxmlsec1-openssl
  libhiredis-dev libyaml-cpp-dev libspdlog-dev libgtest-dev libgoogle-perftools-dev
  redis-server python3-pysaml2 python3-cryptography xmlsec1 libxml2-utils zlib1g-dev libzstd-dev
  clang-tidy clang-format curl jq nodejs npm libkainjow-mustache-dev brotli
)

VARCO_PIDS=()     # process-group leaders started by this script, stopped in reverse order
VARCO_TMPDIRS=()  # directories removed at exit

log() {
  if [[ -t 2 ]]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2; else printf '==> %s\n' "$*" >&2; fi
}
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# ensure_packages [extra-package...]: installs the base packages plus the extras, but only those
# dpkg does not report as installed; `apt-get update` runs only when something is missing.
# Packages whose command may come from elsewhere: NodeSource's nodejs bundles npm and conflicts
# with Debian's npm package, so these count as present when their command is.
declare -A VARCO_PACKAGE_COMMANDS=([nodejs]=node [npm]=npm)

ensure_packages() {
  local missing=() pkg
  for pkg in "${VARCO_PACKAGES[@]}" "$@"; do
    local command_name="${VARCO_PACKAGE_COMMANDS[$pkg]:-}"
    [[ -n "$command_name" ]] && command -v "$command_name" >/dev/null 2>&1 && continue
    if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
      missing+=("$pkg")
    fi
  done
  ((${#missing[@]} == 0)) && return 0

  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      printf 'error: missing packages and not root. Run as root:\n' >&2
      printf '  apt-get update && apt-get install -y --no-install-recommends %s\n' \
        "${missing[*]}" >&2
      return 1
    fi
  fi
  log "installing: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}" || return 1
}

# ensure_browser: installs Debian's chromium (for tests/e2e, driven by playwright-core) when
# /usr/bin/chromium is missing. Kept out of VARCO_PACKAGES: only the end-to-end tests need it.
ensure_browser() {
  [[ -x /usr/bin/chromium ]] && return 0
  ensure_packages chromium || return 1
  [[ -x /usr/bin/chromium ]] || { warn "chromium installed but /usr/bin/chromium is missing"; return 1; }
}

# ensure_web_assets: installs web/node_modules (Bootstrap Italia, served by varco under /static/,
# and the browser-test tools) from web/package-lock.json with `npm ci`, only when it is missing or
# older than the lock file. The assets are never committed; configs point portal.static_root here.
ensure_web_assets() {
  local web="$VARCO_ROOT/web"
  local marker="$web/node_modules/bootstrap-italia/package.json"
  if [[ ! -f "$marker" || "$web/package-lock.json" -nt "$marker" ]]; then
    command -v npm >/dev/null 2>&1 || { warn "npm is missing (ensure_packages installs it)"; return 1; }
    log "installing the web assets (npm ci in web/)"
    (cd "$web" && npm ci --no-audit --no-fund) || return 1
    # npm ci keeps the files' packaged mtimes: touch the marker so the next run sees it as fresh.
    touch "$marker"
  fi
  # The pages' script (the Bootstrap Italia components they use), then the brotli and gzip forms
  # varco serves to browsers that accept them (only what is missing or out of date is written).
  "$VARCO_ROOT/scripts/build-ui" >/dev/null || return 1
  "$VARCO_ROOT/scripts/compress-static" "$web/node_modules/bootstrap-italia/dist" \
    "$web/node_modules/spid-smart-button/dist/img" "$VARCO_ROOT/gateway/portal/static" \
    "$VARCO_ROOT/demo/logos" >/dev/null
}

# build_varco [Release|Debug|RelWithDebInfo] [builddir] [target...]: configure and build with -j2.
# With CI=true warnings are errors. A relative builddir is taken from the repository root.
build_varco() {
  local type="${1:-Debug}" dir="${2:-build}"
  shift $(($# >= 2 ? 2 : $#))
  [[ "$dir" = /* ]] || dir="$VARCO_ROOT/$dir"
  local flags=(-DCMAKE_BUILD_TYPE="$type" -DVARCO_SANITIZE="${VARCO_SANITIZE:-}")
  [[ "${CI:-}" == true ]] && flags+=(-DVARCO_WERROR=ON)
  log "configuring $type build in $dir"
  cmake -S "$VARCO_ROOT" -B "$dir" "${flags[@]}" || return 1
  local targets=()
  local t
  for t in "$@"; do targets+=(--target "$t"); done
  log "building ${*:-all targets} (-j2)"
  cmake --build "$dir" -j2 "${targets[@]}" || return 1
}

# free_port: prints a TCP port on 127.0.0.1 that nobody listens on right now.
free_port() {
  "$VARCO_PYTHON" -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# port_in_use PORT: true when something accepts connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_port PORT TIMEOUT_SECONDS [PID]: waits until 127.0.0.1:PORT accepts connections; fails early
# when PID (the server that should open it) has exited.
wait_port() {
  local port="$1" timeout="$2" pid="${3:-}"
  local deadline=$((SECONDS + timeout))
  until port_in_use "$port"; do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      warn "process $pid exited before listening on port $port"
      return 1
    fi
    ((SECONDS >= deadline)) && { warn "nothing listening on port $port after ${timeout}s"; return 1; }
    sleep 0.05
  done
}

# spawn LOGFILE COMMAND...: runs COMMAND in the background in its own process group (so cleanup
# reaches its children too), output to LOGFILE. The pid is in $SPAWNED_PID.
spawn() {
  local logfile="$1"
  shift
  setsid "$@" >"$logfile" 2>&1 </dev/null &
  SPAWNED_PID=$!
  VARCO_PIDS+=("$SPAWNED_PID")
}

# stop_pid PID: stops one process group started by spawn (TERM, then KILL after 5 s).
stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  local keep=() p
  for p in "${VARCO_PIDS[@]}"; do [[ "$p" == "$pid" ]] || keep+=("$p"); done
  VARCO_PIDS=("${keep[@]}")
  return 0
}

varco_cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  local i
  for ((i = ${#VARCO_PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${VARCO_PIDS[i]}"
  done
  local d
  for d in "${VARCO_TMPDIRS[@]}"; do rm -rf -- "$d"; done
  exit "$rc"
}

install_cleanup_trap() {
  trap varco_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}

# make_tmpdir: prints a new temporary directory that is removed at exit. Call it as
# `make_tmpdir; dir=$VARCO_TMPDIR` (not in $(...), which would lose the registration).
make_tmpdir() {
  VARCO_TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/varco.XXXXXX")" || return 1
  VARCO_TMPDIRS+=("$VARCO_TMPDIR")
}

# start_redis PORT DIR [test|demo]: redis-server on 127.0.0.1:PORT with its data in DIR, waited
# for with PING. "test" (default) keeps nothing on disk; "demo" keeps an append-only file.
# The pid is in $REDIS_PID.
start_redis() {
  local port="$1" dir="$2" mode="${3:-test}"
  mkdir -p "$dir" || return 1
  local args=(--port "$port" --bind 127.0.0.1 --daemonize no --dir "$dir" --protected-mode yes
    --logfile "" --databases 16)
  if [[ "$mode" == demo ]]; then
    args+=(--appendonly yes --appendfsync everysec --save "")
  else
    args+=(--appendonly no --save "")
  fi
  spawn "$dir/redis.log" redis-server "${args[@]}"
  REDIS_PID=$SPAWNED_PID
  local deadline=$((SECONDS + 10))
  until [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]]; do
    if ! kill -0 "$REDIS_PID" 2>/dev/null; then
      warn "redis-server exited; its log:"
      tail -n 20 "$dir/redis.log" >&2
      return 1
    fi
    ((SECONDS >= deadline)) && { warn "redis-server on port $port did not answer PING in 10s"; return 1; }
    sleep 0.05
  done
}

# wait_ready_file FILE TIMEOUT [PID]: waits until varco writes its ready file (a JSON line naming
# its listeners); fails early when PID has exited.
wait_ready_file() {
  local file="$1" timeout="$2" pid="${3:-}"
  local deadline=$((SECONDS + timeout))
  until [[ -s "$file" ]] && jq -e '.listeners | length > 0' "$file" >/dev/null 2>&1; do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      warn "process $pid exited before it was ready"
      return 1
    fi
    ((SECONDS >= deadline)) && { warn "$file not written after ${timeout}s"; return 1; }
    sleep 0.05
  done
}
