# shellcheck shell=bash disable=SC2034,SC2154 # globals set for, and by, the scripts that source it
# Pieces shared by bench/run, bench/scale, bench/login and bench/storm: the build, the nginx and
# varco configurations, the servers, the session, the login load (SAML with an IdP of ours, or
# OpenID Connect through the tests' OP), one wrk run parsed, and CPU time and RSS of a server's
# processes.
# Source it after scripts/lib.sh; do not run it. The functions use these globals, set by
# bench_prepare and by the caller: work (the temporary directory), upstream_port, redis_port.

# bench_prepare [TARGET...]: packages, the Release build of varco, varco-mint-session and the
# TARGETs (unless BENCH_NO_BUILD=1) and the work directory.
# Sets build_dir, varco, mint, load (varco-login-load, built when a TARGET), build_type, work, cores.
# shellcheck disable=SC2120 # bench/run and bench/scale need no TARGET
bench_prepare() {
  build_dir="${VARCO_BENCH_BUILD_DIR:-build-release}"
  [[ "$build_dir" = /* ]] || build_dir="$VARCO_ROOT/$build_dir"
  cores="$(nproc)"
  ensure_packages nginx wrk || die "missing packages"
  if [[ "${BENCH_NO_BUILD:-}" != 1 ]]; then
    build_varco Release "$build_dir" varco varco_mint_session "$@" || die "build failed"
  fi
  varco="$build_dir/varco"
  mint="$build_dir/varco-mint-session"
  load="$build_dir/varco-login-load"
  [[ -x "$varco" && -x "$mint" ]] || die "$varco or $mint missing"
  local target
  for target in "$@"; do
    [[ "$target" != varco_login_load || -x "$load" ]] || die "$load missing"
  done
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
# write_upstream_conf: $work/upstream.conf, one nginx worker answering 1 KiB from memory, and on
# /bench/whoami "user=" and the X-Varco-User-Fiscal-Number it received (where a login lands).
write_upstream_conf() {
  local body pad
  body="$(head -c 1024 /dev/zero | tr '\0' 'x')"
  pad="$(head -c 1000 /dev/zero | tr '\0' 'x')"
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
    location = /bench/whoami {
      default_type text/plain;
      return 200 "user=\$http_x_varco_user_fiscal_number\n$pad";
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
bench_user=RSSMRA80A01H501U
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
  - user: $bench_user
    party: $party
    product: prod-bench
    party_role: MANAGER
    product_role: admin
    status: active
delegations: []
EOF
}
# varco_config PORT CACHE_TTL WORKERS [MAX_CONNECTIONS] [IDLE_KEEP_ALIVE]: a proxy to the
# upstream under /bench; append varco_saml_config to log in too. The route of /bench pins the
# environment, so a session fresh from a login (no environment chosen) reaches it too.
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
    path_prefix: /bench-product
    strip_path_prefix: false
    required_party_roles: [MANAGER]
    environments:
      - id: collaudo
        label: Collaudo
        path_prefix: /bench
        upstreams: [http://127.0.0.1:$upstream_port]
        pool_size: 64
logging:
  level: warn
  access_log: false
EOF
}
# start_varco NAME [CPULIST]: $work/NAME.yaml, run under the command in the varco_wrapper array
# (valgrind, say) when it is set, ready within varco_ready_timeout seconds (default 30).
varco_wrapper=()
start_varco() {
  "$varco" check-config --config "$work/$1.yaml" >/dev/null || return 1
  rm -f "$work/$1.ready" # a server of the same name may have run before
  # shellcheck disable=SC2046 # the prefix is empty or three words
  spawn "$work/logs/$1.log" $(pinned_prefix "${2:-}") "${varco_wrapper[@]}" \
    "$varco" serve --config "$work/$1.yaml" --ready-file "$work/$1.ready"
  server_pid[$1]=$SPAWNED_PID
  wait_ready_file "$work/$1.ready" "${varco_ready_timeout:-30}" "$SPAWNED_PID" \
    || { tail -n 20 "$work/logs/$1.log" >&2; return 1; }
}
# mint_sessions REDIS_PORT [COUNT]: stores COUNT sessions (default 1) of the directory's user and
# prints their cookie values, one a line.
mint_sessions() {
  "$mint" --redis-host 127.0.0.1 --redis-port "$1" --prefix "varco:" \
    --user "$bench_user" --name Mario --family-name Rossi --email mario.rossi@example.it \
    --party "$party" --env prod-bench=collaudo --ttl 1h --count "${2:-1}"
}

# --- logins: varco-login-load plays a SPID IdP --------------------------------------------------
idp_entity=https://idp.login-load.example.it
# write_idp_files: the IdP's RSA-2048 key and certificate (as SPID IdPs sign) and its metadata for
# varco's saml.spid.metadata, written by varco-login-load ($load). Sets idp_args.
write_idp_files() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=login-load IdP" \
    -keyout "$work/idp.key" -out "$work/idp.crt" 2>/dev/null || return 1
  idp_args=(--idp-key "$work/idp.key" --idp-cert "$work/idp.crt" --entity-id "$idp_entity")
  "$load" metadata "${idp_args[@]}" --out "$work/idp-metadata.xml"
}
# write_sp_key BITS PORT DIR: DIR/sp.key and DIR/sp.crt, an RSA-BITS SP key for varco on PORT.
write_sp_key() {
  mkdir -p "$3" || return 1
  "$varco" sp-cert --bits "$1" --entity-id "http://127.0.0.1:$2" --cn "Ente di prova" \
    --org "Ente di prova" --locality Roma --ipa-code c_t001 \
    --key-out "$3/sp.key" --cert-out "$3/sp.crt" >/dev/null
}
# varco_saml_config PORT DIR BINDING: the saml section of varco on PORT (the SP key of DIR, its
# audit log in DIR/audit, the IdP of write_idp_files) and login rate limits no run reaches.
varco_saml_config() {
  cat <<EOF
saml:
  key_file: $2/sp.key
  certificate_file: $2/sp.crt
  organization:
    name: {it: Ente di prova}
    display_name: {it: Ente di prova}
    url: {it: 'http://127.0.0.1:$1'}
  contact: {email: spid@ente-di-prova.it, telephone: '+390600000000'}
  ipa_code: c_t001
  attribute_services:
    - {index: 0, name: Area Riservata, attributes: [name, familyName, fiscalNumber, email]}
  spid:
    metadata: [$work/idp-metadata.xml]
    binding: $3
  audit: {directory: $2/audit}
# Counted as in production, but high enough for every login of the run (one client address).
rate_limits:
  login: {requests: 1000000, window: 1m}
  login_per_idp: {requests: 1000000, window: 1m}
  acs: {requests: 1000000, window: 1m}
EOF
}
# login_load_command PORT PID: sets login_load_cmd, the `varco-login-load run` command line against
# varco on PORT (PID: whose CPU it reports) logging in the directory's user; each login lands on
# /bench/whoami, which must name that user. Append --logins, --concurrency, --rate, ...; the
# command prints its report as `key value` lines. An array, not a function, so spawn can run it.
login_load_command() {
  login_load_cmd=("$load" run "${idp_args[@]}" --port "$1" --base-url "http://127.0.0.1:$1"
    --return /bench/whoami --user "$bench_user" --expect-in-body "user=$bench_user" --varco-pid "$2")
}

# --- OpenID Connect logins: the independent OP of the tests, varco-login-load as the browser ------
op_provider=spid-test
# write_oidc_keys BITS DIR: varco's Relying Party keys made as an operator makes them, `varco
# oidc-key`: DIR/rp-sig.pem (RSA-BITS, RS256: Request Objects, client assertions), DIR/rp-enc.pem
# (RSA-BITS, RSA-OAEP-256: UserInfo) and DIR/rp-fed.pem (P-256: the Entity Configuration); their
# public JWKs in DIR/client.jwks (signing and encryption) and DIR/rp-federation.jwks, for the OP.
write_oidc_keys() {
  local bits="$1" dir="$2"
  mkdir -p "$dir" || return 1
  "$varco" oidc-key --use sig --bits "$bits" --key-out "$dir/rp-sig.pem" >"$dir/rp-sig.jwk" \
    && "$varco" oidc-key --use enc --bits "$bits" --key-out "$dir/rp-enc.pem" >"$dir/rp-enc.jwk" \
    && "$varco" oidc-key --use sig --type ec --key-out "$dir/rp-fed.pem" >"$dir/rp-fed.jwk" \
    && jq -s '{keys: .}' "$dir/rp-sig.jwk" "$dir/rp-enc.jwk" >"$dir/client.jwks" \
    && jq -s '{keys: .}' "$dir/rp-fed.jwk" >"$dir/rp-federation.jwks"
}
# start_op NAME OP_PORT VARCO_PORT DIR: tests/tools/oidc-op/op.mjs (npm oidc-provider under node)
# on OP_PORT in the SPID profile with its trust anchor and intermediate, its one client varco on
# VARCO_PORT with the keys of write_oidc_keys in DIR. Sets server_pid[NAME], op_issuer, and from
# the OP's ready line anchor_id, intermediate_id and DIR/ta.jwks (the trust anchor's keys).
start_op() {
  local name="$1" base="http://127.0.0.1:$3" dir="$4" log="$work/logs/$1.log" ready="" i
  spawn "$log" node "$VARCO_ROOT/tests/tools/oidc-op/op.mjs" --port "$2" --mode spid \
    --client-id "$base" --redirect-uri "$base/oidc/callback" --client-jwks "$dir/client.jwks" \
    --federation --rp-entity-id "$base" --rp-federation-jwks "$dir/rp-federation.jwks"
  server_pid[$name]=$SPAWNED_PID
  for ((i = 0; i < 600 && ${#ready} == 0; i++)); do # it prints one JSON line once it listens
    kill -0 "$SPAWNED_PID" 2>/dev/null || { tail -n 20 "$log" >&2; return 1; }
    ready="$(grep -m 1 '^{"ready":true' "$log")" || sleep 0.05
  done
  [[ -n "$ready" ]] || { warn "the OP printed no ready line in 30 s"; return 1; }
  op_issuer="$(jq -r .issuer <<<"$ready")"
  anchor_id="$(jq -r .trust_anchor.entity_id <<<"$ready")"
  intermediate_id="$(jq -r .intermediate.entity_id <<<"$ready")"
  jq .trust_anchor.jwks <<<"$ready" >"$dir/ta.jwks"
}
# varco_oidc_config DIR: the oidc section of varco with the keys of write_oidc_keys in DIR, its
# audit log in DIR/audit, the OP of start_op as a SPID provider reached through the federation,
# and login rate limits no run reaches.
varco_oidc_config() {
  cat <<EOF
oidc:
  signing_key_file: $1/rp-sig.pem
  encryption_key_file: $1/rp-enc.pem
  audit: {directory: $1/audit}
  federation:
    key_file: $1/rp-fed.pem
    authority_hints: [$intermediate_id]
    trust_anchors:
      - {entity_id: $anchor_id, jwks_file: $1/ta.jwks}
    organization_name: Ente di prova
    contacts: [spid@ente-di-prova.it]
  providers:
    - {id: $op_provider, kind: spid, issuer: $op_issuer, name: OP di prova, level: 2}
# Counted as in production, but high enough for every login of the run (one client address).
rate_limits:
  login: {requests: 1000000, window: 1m}
  login_per_idp: {requests: 1000000, window: 1m}
  acs: {requests: 1000000, window: 1m}
EOF
}
# oidc_login_load_command PORT PID: login_load_command for OpenID Connect logins through the OP of
# start_op (the OP signs: no IdP of ours).
oidc_login_load_command() {
  login_load_cmd=("$load" run --protocol oidc --provider "$op_provider" --port "$1"
    --base-url "http://127.0.0.1:$1" --return /bench/whoami --user "$bench_user"
    --expect-in-body "user=$bench_user" --varco-pid "$2")
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

# wrk_sum KEY: adds the numbers of the last wrk_once to sum_rps[KEY], sum_p50[KEY], sum_p99[KEY]
# and sum_requests[KEY], and its non-2xx answers and socket errors to bad[KEY] (associative
# arrays the caller declares).
wrk_sum() {
  sum_rps[$1]="$(awk -v a="${sum_rps[$1]:-0}" -v b="$wrk_rps" 'BEGIN { print a + b }')"
  sum_p50[$1]="$(awk -v a="${sum_p50[$1]:-0}" -v b="$wrk_p50" 'BEGIN { print a + b }')"
  sum_p99[$1]="$(awk -v a="${sum_p99[$1]:-0}" -v b="$wrk_p99" 'BEGIN { print a + b }')"
  sum_requests[$1]=$((${sum_requests[$1]:-0} + wrk_requests))
  [[ -n "$wrk_non2xx$wrk_errors" ]] \
    && bad[$1]="${bad[$1]:-}${wrk_non2xx:+ non-2xx $wrk_non2xx}${wrk_errors:+ $wrk_errors};"
  return 0
}

# show_report FILE: prints the report a script wrote to FILE, and where it is.
show_report() {
  echo
  cat "$1"
  echo
  echo "(written to ${1#"$VARCO_ROOT/"})"
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
