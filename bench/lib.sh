# shellcheck shell=bash
# Pieces shared by bench/run and bench/scale: the build, the nginx and varco configurations, the
# servers, the session, one wrk run parsed, and CPU time and RSS of a server's processes.
# Source it after scripts/lib.sh; do not run it. The functions use these globals, set by
# bench_prepare and by the caller: work (the temporary directory), upstream_port, redis_port.

# bench_prepare: packages, the Release build (unless BENCH_NO_BUILD=1) and the work directory.
# Sets build_dir, varco, mint, build_type, work, cores.
bench_prepare() {
  build_dir="${VARCO_BENCH_BUILD_DIR:-build-release}"
  [[ "$build_dir" = /* ]] || build_dir="$VARCO_ROOT/$build_dir"
  cores="$(nproc)"
  ensure_packages nginx wrk || die "missing packages"
  if [[ "${BENCH_NO_BUILD:-}" != 1 ]]; then
    build_varco Release "$build_dir" varco varco_mint_session || die "build failed"
  fi
  varco="$build_dir/varco"
  mint="$build_dir/varco-mint-session"
  [[ -x "$varco" && -x "$mint" ]] || die "$varco or $mint missing"
  build_type="$(awk -F= '/^CMAKE_BUILD_TYPE:/ { print $2 }' "$build_dir/CMakeCache.txt" 2>/dev/null)"
  build_type="${build_type:-unknown}"
  make_tmpdir || die "mktemp failed"
  work="$VARCO_TMPDIR"
  mkdir -p "$work/logs" "$work/tmp"
  chmod 755 "$work"
}

# machine_line: "Loopback, 2 cores (model), 23 GiB."
machine_line() {
  echo "Loopback, $cores cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(free -g | awk '/^Mem:/ { print $2 }') GiB."
}

# --- nginx ----------------------------------------------------------------------------------------
nginx_common() { # nginx_common NAME: temp paths inside the work dir, nothing is written to /var
  cat <<EOF
daemon off;
pid $work/$1.pid;
error_log $work/logs/$1-error.log warn;
EOF
}
nginx_http_common() { # nginx_http_common NAME [KEEPALIVE_TIMEOUT_SECONDS]
  cat <<EOF
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout ${2:-65};
  client_body_temp_path $work/tmp/$1-body;
  proxy_temp_path $work/tmp/$1-proxy;
  fastcgi_temp_path $work/tmp/$1-fastcgi;
  uwsgi_temp_path $work/tmp/$1-uwsgi;
  scgi_temp_path $work/tmp/$1-scgi;
EOF
}
# write_upstream_conf: $work/upstream.conf, one nginx worker answering 1 KiB from memory.
write_upstream_conf() {
  local body
  body="$(head -c 1024 /dev/zero | tr '\0' 'x')"
  {
    nginx_common upstream
    cat <<EOF
worker_processes 1;
events { worker_connections 4096; }
http {
$(nginx_http_common upstream)
  server {
    listen 127.0.0.1:$upstream_port;
    location / {
      default_type text/plain;
      return 200 "$body";
    }
  }
}
EOF
  } >"$work/upstream.conf"
}
# write_proxy_conf NAME PORT WORKERS [WORKER_CONNECTIONS] [KEEPALIVE_TIMEOUT_SECONDS]:
# $work/NAME.conf, nginx as a keep-alive reverse proxy to the upstream.
write_proxy_conf() {
  local name="$1" port="$2" workers="$3" worker_connections="${4:-4096}" keepalive="${5:-65}"
  {
    nginx_common "$name"
    # An nginx worker may open as many files as the shell allows (worker_rlimit_nofile).
    cat <<EOF
worker_processes $workers;
worker_rlimit_nofile $(ulimit -n);
events { worker_connections $worker_connections; }
http {
$(nginx_http_common "$name" "$keepalive")
  upstream backend {
    server 127.0.0.1:$upstream_port;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  } >"$work/$name.conf"
}

# write_identity_proxy_conf NAME PORT WORKERS: $work/NAME.conf, the proxy of write_proxy_conf that
# also sends the upstream the header set varco sends for the benchmark's session: X-Forwarded-*,
# X-Request-Id, the thirteen X-Varco-* identity fields with the same values and a token of the
# same length (904 characters), and no Cookie. The upstream then parses as many fields and bytes
# (a 1.5 kB request head) from either proxy, which matters when it shares a core with wrk.
write_identity_proxy_conf() {
  write_proxy_conf "$@" || return 1
  local token directives conf="$work/$1.conf"
  token="$(head -c 678 /dev/zero | tr '\0' 'A' | base64 -w0)" # 904 base64 characters
  directives="$(
    cat <<EOF
      proxy_set_header Cookie "";
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
      proxy_set_header X-Request-Id \$request_id;
      proxy_set_header X-Varco-User-Fiscal-Number RSSMRA80A01H501U;
      proxy_set_header X-Varco-User-Name Mario;
      proxy_set_header X-Varco-User-Family-Name Rossi;
      proxy_set_header X-Varco-User-Email mario.rossi@example.it;
      proxy_set_header X-Varco-Party-Id $party;
      proxy_set_header X-Varco-Party-Name "Ente di prova";
      proxy_set_header X-Varco-Party-Fiscal-Code 80000000000;
      proxy_set_header X-Varco-Party-Type PA;
      proxy_set_header X-Varco-Party-Role MANAGER;
      proxy_set_header X-Varco-Product-Role admin;
      proxy_set_header X-Varco-Product prod-bench;
      proxy_set_header X-Varco-Environment collaudo;
      proxy_set_header X-Varco-Identity-Token $token;
EOF
  )"
  awk -v extra="$directives" '{ print } /proxy_set_header Connection ""/ { print extra }' "$conf" \
    >"$conf.tmp" && mv "$conf.tmp" "$conf"
}

declare -A server_pid=()
# pinned_prefix CPULIST: the command prefix that pins to CPULIST ("" = not pinned).
pinned_prefix() {
  [[ -n "$1" ]] && echo "taskset -c $1"
}
start_nginx() { # start_nginx NAME PORT [CPULIST]
  nginx -t -q -p "$work" -c "$work/$1.conf" -e "$work/logs/$1-error.log" || return 1
  # shellcheck disable=SC2046 # the prefix is empty or three words
  spawn "$work/logs/$1.out" $(pinned_prefix "${3:-}") \
    nginx -p "$work" -c "$work/$1.conf" -e "$work/logs/$1-error.log"
  server_pid[$1]=$SPAWNED_PID
  wait_port "$2" 10 "$SPAWNED_PID"
}

# --- varco ----------------------------------------------------------------------------------------
party=7b3c0000-0000-4000-8000-00000000be01
# write_varco_files: the JWT key and the one-membership directory every varco config names.
write_varco_files() {
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null \
    | openssl pkcs8 -topk8 -nocrypt -out "$work/jwt.pem" || return 1
  cat >"$work/directory.yaml" <<EOF
parties:
  - id: $party
    name: Ente di prova
    type: PA
    fiscal_code: "80000000000"
memberships:
  - user: RSSMRA80A01H501U
    party: $party
    product: prod-bench
    party_role: MANAGER
    product_role: admin
    status: active
delegations: []
EOF
}
# varco_config PORT CACHE_TTL WORKERS [MAX_CONNECTIONS] [IDLE_KEEP_ALIVE]
varco_config() {
  cat <<EOF
server:
  listeners:
    - address: 127.0.0.1
      port: $1
  workers: $3
  public_base_url: http://127.0.0.1:$1
  plain_http: true
  limits:
    max_connections: ${4:-10000}
  timeouts:
    idle_keep_alive: ${5:-60s}
sessions:
  store: redis
  redis:
    host: 127.0.0.1
    port: $redis_port
    key_prefix: "varco:"
  cache_ttl: $2
jwt:
  key_file: jwt.pem
  kid: bench-1
directory:
  file: directory.yaml
products:
  - id: prod-bench
    title: Bench
    path_prefix: /bench
    strip_path_prefix: false
    required_party_roles: [MANAGER]
    environments:
      - id: collaudo
        label: Collaudo
        upstreams: [http://127.0.0.1:$upstream_port]
        pool_size: 64
logging:
  level: warn
  access_log: false
EOF
}
start_varco() { # start_varco NAME [CPULIST]: $work/NAME.yaml
  "$varco" check-config --config "$work/$1.yaml" >/dev/null || return 1
  rm -f "$work/$1.ready" # a server of the same name may have run before
  # shellcheck disable=SC2046 # the prefix is empty or three words
  spawn "$work/logs/$1.log" $(pinned_prefix "${2:-}") \
    "$varco" serve --config "$work/$1.yaml" --ready-file "$work/$1.ready"
  server_pid[$1]=$SPAWNED_PID
  wait_ready_file "$work/$1.ready" 30 "$SPAWNED_PID" || { tail -n 20 "$work/logs/$1.log" >&2; return 1; }
}
# mint_sessions REDIS_PORT [COUNT]: stores COUNT sessions (default 1) of the directory's user and
# prints their cookie values, one a line.
mint_sessions() {
  "$mint" --redis-host 127.0.0.1 --redis-port "$1" --prefix "varco:" \
    --user RSSMRA80A01H501U --name Mario --family-name Rossi --email mario.rossi@example.it \
    --party "$party" --env prod-bench=collaudo --ttl 1h --count "${2:-1}"
}

# expect_body URL HEADER: the URL must answer 200 with the 1 KiB body.
expect_body() {
  local status_size
  status_size="$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -H "$2" "$1")"
  [[ "$status_size" == "200 1024" ]] || { warn "$1 answered '$status_size' (want '200 1024')"; return 1; }
}

# --- measuring ------------------------------------------------------------------------------------
# to_ms VALUE: wrk prints 812.00us, 1.23ms, 2.01s
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000
    printf "%.3f", n }'
}
# wrk_once FILE CPULIST WRK-ARGS...: runs wrk (pinned to CPULIST unless ""), output to FILE, and
# sets wrk_rps, wrk_p50, wrk_p99 (ms), wrk_requests, wrk_non2xx, wrk_errors.
wrk_once() {
  local file="$1" cpus="$2"
  shift 2
  # shellcheck disable=SC2046 # the prefix is empty or three words
  $(pinned_prefix "$cpus") wrk --latency "$@" >"$file" 2>&1 || { cat "$file" >&2; return 1; }
  wrk_rps="$(awk '/^Requests\/sec:/ { print $2 }' "$file")"
  wrk_p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$file")")"
  wrk_p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")")"
  wrk_requests="$(awk '/ requests in / { print $1 }' "$file")"
  wrk_non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file")"
  wrk_errors="$(awk '/Socket errors:/ { print }' "$file")"
}

# tree_pids PID: PID and its children (an nginx master and its workers; varco is one process).
tree_pids() {
  echo "$1"
  ps -o pid= --ppid "$1" 2>/dev/null
}
# cpu_ticks PID: user + system CPU time of PID and its children, in clock ticks.
cpu_ticks() {
  local total=0 p t
  for p in $(tree_pids "$1"); do
    # Fields 14 and 15 after the ")" that ends the command name, which may contain spaces.
    t="$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $12 + $13 }')"
    total=$((total + ${t:-0}))
  done
  echo "$total"
}
clock_ticks="$(getconf CLK_TCK)"
# cpu_us_per_request TICKS REQUESTS
cpu_us_per_request() {
  awk -v t="$1" -v n="$2" -v hz="$clock_ticks" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "?" }'
}
# rss_kib PID FIELD: the sum of FIELD (VmRSS, VmHWM) over PID and its children, in KiB.
rss_kib() {
  local total=0 p kib
  for p in $(tree_pids "$1"); do
    kib="$(awk -v f="$2:" '$1 == f { print $2 }' "/proc/$p/status" 2>/dev/null)"
    total=$((total + ${kib:-0}))
  done
  echo "$total"
}
