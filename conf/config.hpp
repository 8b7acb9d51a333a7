// The typed configuration model of varco.
//
// A config is parsed and validated once (conf/loader.hpp), then shared read-only as
// std::shared_ptr<const config> and swapped whole on SIGHUP: nothing here is mutated after load,
// so every thread may read it without locks.
#pragma once

#include "conf/oidc_config.hpp"

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace varco::conf {

using duration = std::chrono::milliseconds;
using namespace std::chrono_literals;

struct tls_files {
  std::string certificate_file;  // PEM chain
  std::string key_file;          // PEM private key
};

struct listener {
  std::string address = "127.0.0.1";
  // 0 picks a free port (tests); the bound port is reported by --ready-file
  std::uint16_t port = 8080;
  std::optional<tls_files> tls;  // TLS 1.2+ only when present
};

struct limits {
  std::size_t header_bytes = 16 * 1024;            // request line + all fields; above → 431
  std::uint64_t body_bytes = 10ull * 1024 * 1024;  // declared or streamed; above → 413
  std::size_t pipelined_requests = 16;  // requests per connection read ahead of a response
  std::size_t max_connections = 10000;  // per process; at it, the oldest idle one makes room
  // Login-path jobs (signatures, Response checks) waiting for a crypto thread; above → 503.
  std::size_t crypto_queue = 256;
};

struct server_timeouts {
  duration header_read = 10s;      // from first byte of a request to the end of its header
  duration body_read = 30s;        // between two body chunks from the client
  duration idle_keep_alive = 60s;  // between two requests on one connection
  duration drain = 20s;            // SIGTERM: how long in-flight requests may take to finish
};

using cidr = std::variant<boost::asio::ip::network_v4, boost::asio::ip::network_v6>;

struct server {
  std::vector<listener> listeners{listener{}};
  unsigned workers = 0;         // 0 = one per core
  unsigned crypto_threads = 0;  // the login path's signing threads; 0 = one per core
  std::string public_base_url;  // e.g. https://area.example.it (no trailing slash)
  // Explicit local-development switch: serve plain HTTP and set the session cookie without
  // Secure (and therefore without the __Host- prefix, which browsers require to be Secure).
  bool plain_http = false;
  std::vector<cidr> trusted_proxies;  // X-Forwarded-* from these peers are kept, else replaced
  conf::limits limits;
  server_timeouts timeouts;
};

struct redis_address {
  std::string host;
  std::uint16_t port = 0;
  bool operator==(const redis_address&) const = default;
};

// Redis Sentinel: the primary's address is asked of the sentinels (in order, first answer wins)
// before every (re)connection, and a server that does not call itself master is left at once, so
// varco follows a failover without restart.
struct redis_sentinel {
  std::string master_name;  // empty = Sentinel not used
  std::vector<redis_address> addresses;
  std::string password;  // the sentinels' own AUTH (requirepass of sentinel.conf); empty = none
  bool operator==(const redis_sentinel&) const = default;
};

struct redis {
  // Standalone server, unless sentinel.master_name or cluster is set (then host/port are unused).
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  redis_sentinel sentinel;
  // Redis Cluster seed nodes (any subset of the cluster); empty = not a cluster. The slot map is
  // read from them (CLUSTER SLOTS) and every command goes to the node owning its key's slot.
  std::vector<redis_address> cluster;
  std::string password;  // empty = no AUTH
  int database = 0;
  std::string key_prefix = "varco:";
  duration connect_timeout = 1s;
  duration command_timeout = 1s;
  duration reconnect_min = 100ms;  // backoff doubles up to reconnect_max
  duration reconnect_max = 5s;
  // Not read from the YAML: set by the code opening the connection (session::with_client_name)
  // and sent as CLIENT SETNAME, so CLIENT LIST tells what each of varco's connections is for.
  std::string client_name;
};

enum class store_kind { memory, redis };

struct sessions {
  store_kind store = store_kind::memory;
  conf::redis redis;
  duration idle_timeout = 30min;
  duration absolute_timeout = 8h;
  duration touch_interval = 1min;  // sliding refresh in the store at most this often
  duration cache_ttl = 5s;         // per-worker cache of recently seen sessions; 0 disables it
  std::size_t cache_entries = 100000;
  // Copy of server.plain_http made at load, so code holding only the sessions settings can name
  // the cookie.
  bool plain_http = false;
  // __Host-varco_session normally; varco_session when plain_http (see server::plain_http).
  std::string cookie_name() const;
};

// A key that signed tokens before a rotation: published in the JWKS until those tokens expire.
struct previous_jwt_key {
  std::string file;  // PEM EC P-256 public key (or private key: its public half)
  // The kid the tokens signed with it carry (jwt.kid when it was current), so verifiers that pick
  // keys by kid find it. Empty (an item given as a plain file name): the RFC 7638 thumbprint.
  std::string kid;
  bool operator==(const previous_jwt_key&) const = default;
};

struct jwt {
  std::string key_file;  // PEM EC P-256 private key (ES256)
  std::string kid;
  std::string issuer;  // defaults to server.public_base_url
  duration ttl = 15min;
  std::vector<previous_jwt_key> previous_public_keys;  // still published in the JWKS (rotation)
};

// The claims a proxied request carries, and the header each goes in.
enum class claim {
  user_fiscal_number,
  user_name,
  user_family_name,
  user_email,
  party_id,
  party_name,
  party_fiscal_code,
  party_type,
  party_role,
  product_role,
  product,
  environment,
};
inline constexpr std::size_t claim_count = 12;

struct claims {
  // Every client-sent header whose name starts with this (any case, '_' or '-') is removed.
  std::string header_namespace = "X-Varco-";
  std::map<claim, std::string> header_names;  // filled with defaults for every claim at load
  std::string token_header = "X-Varco-Identity-Token";
  std::string token_scheme;            // e.g. "Bearer" → "Bearer <jwt>"; empty → the bare token
  bool replace_authorization = false;  // drop the client's Authorization header
};

struct upstream_tls {
  bool verify = true;
  std::string ca_file;      // empty = system trust store
  std::string server_name;  // SNI and name to verify; default the URL host
};

struct upstream_url {
  bool https = false;
  std::string host;
  std::uint16_t port = 80;
  std::string base_path;  // prefixed to the forwarded path; "" or "/x" (no trailing slash)
  std::string text;       // as written, for logs and error pages
};

enum class environment_mode {
  proxied,   // the portal is behind varco; requests carry the claims
  redirect,  // the portal lives elsewhere; varco redirects with a signed identity token
};

struct environment {
  std::string id;        // "collaudo", "produzione", … (the set is config, not code)
  std::string label;     // "Ambiente di Collaudo"
  std::string label_en;  // on the Area Riservata's English pages; empty: label
  environment_mode mode = environment_mode::proxied;
  std::vector<upstream_url> upstreams;  // proxied: round-robin
  // redirect: URL template with {token} (in the fragment), {lang}, {party}, {product}; see
  // conf/redirect_template.hpp
  std::string redirect_url;
  duration token_ttl = 60s;  // redirect: lifetime of the token handed over (at most 5 minutes)
  // Optional route that pins this environment regardless of the session's choice.
  std::string host;         // lower-case, no port
  std::string path_prefix;  // normalised, no trailing slash
  std::string audience;     // JWT aud; default "<product>:<environment>", the product for redirect
  duration connect_timeout = 2s;
  duration response_timeout = 30s;  // until the upstream's response header is complete
  upstream_tls tls;
  std::size_t pool_size = 64;  // idle keep-alive connections kept per worker
  // Party roles allowed on this environment; empty = the product's required_party_roles.
  std::vector<std::string> party_roles;
};

struct path_rule {
  std::string prefix;                      // normalised path prefix, relative to the product route
  std::vector<std::string> product_roles;  // any of these product roles is required
};

struct product {
  std::string id;  // "prod-pagopa"
  std::string title;
  std::string description;
  // The English title and description of the Area Riservata's English pages; empty: the Italian.
  std::string title_en;
  std::string description_en;
  std::string logo;           // URL or /static path
  std::string logo_bg_color;  // "#rrggbb" behind the logo (Self Care's logoBgColor); may be empty
  // Route to the product (the environment comes from the session). At least one of the two.
  std::string host;
  std::string path_prefix;
  bool strip_path_prefix = false;  // forward "/x" instead of "/prefix/x"
  // MANAGER, DELEGATE, SUB_DELEGATE, OPERATOR, ADMIN_EA
  std::vector<std::string> required_party_roles;
  std::vector<environment> environments;  // in display order
  std::vector<path_rule> path_rules;
  conf::claims claims;  // global claims settings, overridden field by field

  const environment* find_environment(std::string_view id) const;
};

// Where the directory lives. file: the YAML file, read-only (the Utenti page cannot change it).
// memory: seeded from the file at start, writable, kept in this process only. redis: shared by
// every instance (sessions.store must be redis); the file seeds it when Redis holds none yet, and
// `varco directory import` replaces it.
enum class directory_backend { file, memory, redis };

struct directory_source {
  std::string file;  // YAML directory (parties, users, memberships, delegations)
  directory_backend backend = directory_backend::file;
  bool writable() const { return backend != directory_backend::file; }
};

struct logging {
  std::string level = "info";  // trace, debug, info, warn, error
  bool access_log = true;
  // Absolute paths (resolved against the config's directory). file empty: stdout. access_file
  // empty: with the application log. Both are reopened on SIGUSR1; a change needs a restart.
  std::string file;
  std::string access_file;
};

// --- SAML Service Provider (SPID and CIE) ------------------------------------------------------

enum class saml_binding { redirect, post };

// Per-language texts of the SP's md:Organization (RULES.md §1: same languages, "it" among them).
struct localized {
  std::map<std::string, std::string> by_lang;  // "it" → text
};

struct saml_contact {
  std::string email;      // impersonal address (e.g. spid@ente.it)
  std::string telephone;  // +39…, no spaces; optional
};

// One md:AttributeConsumingService: the index an AuthnRequest names and the attributes it asks.
struct attribute_service {
  unsigned index = 0;
  std::string name;  // ServiceName
  std::vector<std::string> attributes;
};

// A source of IdP metadata: one EntityDescriptor or a (signed) EntitiesDescriptor aggregate, read
// from a file or fetched from a URL (AgID's registry). Exactly one of `file` and `url` is set.
struct idp_source {
  std::string file;
  std::string trust_certificate_file;  // the root signature must verify with it (required: url)
  // https:// (http:// only with server.plain_http); fetched with a conditional GET and re-fetched
  // at the earliest of the document's cacheDuration, the response's Cache-Control and idp_refresh.
  std::string url;
  std::size_t max_bytes = 8 * 1024 * 1024;  // url: a larger document is refused unread
  duration timeout = 30s;  // url: one fetch, from resolving the host to the last byte
  std::string ca_file;     // url: the https server's trust anchors; empty: the system's CA store
  std::string cache_file;  // url: the last good copy, used when the fetch at start-up fails
  bool is_url() const { return !url.empty(); }
  // The file, or the URL without its query and fragment: what logs and metrics name it by.
  std::string label() const;
};

// Display overrides for one IdP (name and logo on the login page).
struct idp_display {
  std::string entity_id;
  std::string name;
  std::string logo;
};

struct identity_provider_kind {
  bool configured = false;  // CIE: absent section → the button shows "presto disponibile"
  std::vector<idp_source> sources;
  std::vector<idp_display> display;
  unsigned attribute_service_index = 0;
  int default_level = 2;               // SpidL1..3
  std::string comparison = "minimum";  // exact|minimum|better|maximum (CIE: exact|minimum)
  saml_binding request_binding = saml_binding::redirect;
};

struct saml {
  bool enabled = false;          // the section is present
  std::string entity_id;         // default: public_base_url
  std::string acs_url;           // derived: public_base_url + /saml/acs
  std::string slo_url;           // derived: public_base_url + /saml/slo
  std::string key_file;          // PEM RSA ≥ 2048
  std::string certificate_file;  // PEM, Avviso 29 (see `varco sp-cert`)
  localized organization_name;
  localized organization_display_name;
  localized organization_url;
  saml_contact contact;
  bool public_sp = true;
  std::string ipa_code;    // public SP
  std::string vat_number;  // private SP: one of the two
  std::string fiscal_code;
  std::string municipality;  // ISTAT code, required by CIE metadata
  std::vector<attribute_service> attribute_services;
  duration clock_skew = 30s;
  duration request_ttl = 5min;  // pending AuthnRequest lifetime
  duration idp_refresh = 1h;    // metadata sources re-read
  std::size_t max_message_bytes = 64 * 1024;
  identity_provider_kind spid;
  identity_provider_kind cie;
  std::string audit_directory;  // empty: no audit (refused unless explicitly disabled)
  int audit_retention_months = 24;
  std::vector<std::string> allowed_return_prefixes{"/"};  // local paths a login may return to
};

// --- Area Riservata pages and their static files ---------------------------------------------

// Optional: without the section varco serves only the login flow's compiled-in assets under
// /static. With it, both directories are required and checked at load.
// A text varco serves as a public page (/terms, /privacy): trusted operator content in
// Markdown-lite (gateway/pages/legal_text.hpp), read whole at load so a reload swaps it with the
// rest of the config and a missing file never starts.
struct legal_text {
  std::string file;     // Italian; empty: the page is not configured (404)
  std::string file_en;  // optional English version, served for ?lang=en
  std::string text;     // the files' content
  std::string text_en;
};

// Who runs the Area Riservata, in every page's header: the slim bar names the organisation (a link
// to its site), the brand block shows its logo beside "Area Riservata".
struct brand {
  std::string name;     // "PagoPA S.p.A."; empty: the slim bar shows "Area Riservata"
  std::string name_en;  // empty: `name`
  std::string url;      // the organisation's site; empty: no link
  std::string logo;     // URL or /static path; empty: varco's own emblem
};

struct portal {
  bool enabled = false;  // the section is present
  conf::brand brand;
  // npm's node_modules (scripts install web/node_modules); /static/bootstrap-italia/ serves its
  // bootstrap-italia/dist/.
  std::string static_root;
  // varco's own CSS/JS/images (gateway/portal/static in the source tree), /static/varco/.
  std::string assets_dir;
  // The deployment's logos of parties and products (directory `logo`, products[].logo), served
  // as /static/logos/; empty: none.
  std::string logos_dir;
  legal_text terms;    // "Termini e condizioni d'uso", terms_file / terms_file_en
  legal_text privacy;  // "Informativa Privacy", privacy_file / privacy_file_en
};

// --- Assistenza (support requests) -----------------------------------------------------------

// Where stored support requests are forwarded, and how hard varco tries.
struct support_webhook {
  upstream_url url;        // http:// (loopback demo) or https:// (verified with the system store)
  duration timeout = 10s;  // one whole attempt: connect, send, response
  unsigned max_attempts = 5;      // then the request goes to the dead-letter stream
  duration backoff_initial = 1s;  // doubles after each failed attempt …
  duration backoff_max = 5min;    // … up to this
};

// Optional: without the section /area/support shows only the page's mailto link (when `email`
// is set) and no form. Requests are stored in Redis (sessions.redis), so the form needs
// sessions.store: redis; on the memory store the page offers the mailto link instead.
struct support {
  bool enabled = false;                    // the section is present
  std::string email;                       // shown as mailto: to logged-out users and without Redis
  std::optional<support_webhook> webhook;  // absent: requests stay in the stream for operators
  std::string stream = "varco:support";    // XADD target (not under the sessions key prefix)
  std::string dead_letter_stream = "varco:support:dead";
  std::string consumer_group = "varco-webhook";
  duration claim_idle = 2min;  // a pending entry idle this long was left by a dead instance
  std::size_t max_subject_chars = 200;
  std::size_t max_message_chars = 5000;
};

// One fixed-window limit: at most `requests` per `window` for one subject (a client address, an
// IdP). requests == 0 turns it off.
struct rate_limit {
  std::uint32_t requests = 0;
  duration window = 1min;
  bool enabled() const noexcept { return requests > 0; }
};

// Limits on the endpoints an attacker can hit without a session (answered 429 with Retry-After),
// counted in the login-state store, so on Redis they hold across instances.
struct rate_limits {
  // Per client address: as seen by the trusted proxies when the peer is one (an office behind one
  // NAT address shares these, hence the room).
  rate_limit login{60, 1min};            // GET /saml/login
  rate_limit login_per_idp{3000, 1min};  // GET /saml/login, per IdP asked for (all clients)
  rate_limit acs{60, 1min};              // POST /saml/acs
  rate_limit forms{120, 1min};           // POSTs of the Area Riservata forms
};

struct config {
  std::string source_file;  // the file it was loaded from
  conf::server server;
  conf::sessions sessions;
  conf::jwt jwt;
  conf::claims claims;
  directory_source directory;
  conf::saml saml;
  conf::oidc oidc;
  conf::portal portal;
  conf::support support;
  conf::rate_limits rate_limits;
  std::vector<product> products;
  conf::logging logging;

  const product* find_product(std::string_view id) const;
};

}  // namespace varco::conf
