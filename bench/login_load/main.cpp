// varco-login-load: complete SPID logins against a running varco, as fast as a set of browsers
// and an in-process IdP allow, or OpenID Connect logins through a running OpenID Provider; see
// bench/login (which runs it) and bench/RESULTS.md ("Logins").
//
//   varco-login-load metadata --idp-key K --idp-cert C --entity-id URL --out FILE
//       writes the IdP's metadata, for varco's saml.spid.metadata, before varco starts
//   varco-login-load run --port P --base-url URL --idp-key K --idp-cert C --entity-id URL
//       [--logins 300] [--warmup 20] [--concurrency 1] [--rate 0] [--duration 0]
//       [--return /bench/x] [--user RSSMRA80A01H501U] [--expect-in-body TEXT] [--varco-pid PID]
//       N login loops share the logins; prints `key value` lines (load_report.hpp). Exits 1 when
//       any login failed: every login must succeed for the numbers to mean anything.
//       --rate R: R logins a second, paced open-loop over the loops (login_schedule.hpp); 0 (the
//       default): as fast as the loops go. --duration S: logins for S seconds, --logins ignored.
//   varco-login-load run --protocol oidc --provider ID --port P --base-url URL [the options above]
//       OpenID Connect logins with varco's provider ID (oidc_client.hpp): the provider runs on
//       its own (tests/tools/oidc-op/op.mjs); the IdP options are not needed.
//
// For benchmarks and tests only: it holds an IdP's private key and signs whatever it is asked.
#include "bench/login_load/fast_idp.hpp"
#include "bench/login_load/load_report.hpp"
#include "bench/login_load/login_client.hpp"
#include "bench/login_load/login_schedule.hpp"
#include "bench/login_load/oidc_client.hpp"
#include "saml/xml_library.hpp"

#include <charconv>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace varco;

constexpr std::string_view usage =
    "usage: varco-login-load metadata --idp-key K --idp-cert C --entity-id URL --out FILE\n"
    "       varco-login-load run --port P --base-url URL --idp-key K --idp-cert C --entity-id URL\n"
    "         [--logins 300] [--warmup 20] [--concurrency 1] [--rate 0] [--duration 0]\n"
    "         [--return /bench/x] [--user RSSMRA80A01H501U] [--expect-in-body TEXT]\n"
    "         [--varco-pid PID]\n"
    "       varco-login-load run --protocol oidc --provider ID --port P --base-url URL\n"
    "         [the same options, without the IdP's]\n";

int fail(std::string_view what) {
  std::cerr << "varco-login-load: " << what << "\n" << usage;
  return 2;
}

std::optional<int> number(const std::map<std::string, std::string>& args, const std::string& key,
                          int fallback) {
  const auto it = args.find(key);
  if (it == args.end()) return fallback;
  int n = 0;
  const auto [end, ec] =
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), n);
  if (ec != std::errc{} || end != it->second.data() + it->second.size() || n < 0)
    return std::nullopt;
  return n;
}

// Makes one loop's browser.
using driver_factory = std::function<std::unique_ptr<bench::login_driver>()>;

// The logins `run` allows, shared by `concurrency` loops, each with its own browser.
bench::load_report run_logins(const driver_factory& make_driver,
                              const bench::login_schedule::limits& run, int concurrency,
                              std::optional<pid_t> varco_pid) {
  bench::load_report report;
  std::mutex merge;
  const auto cpu_before = varco_pid ? bench::process_cpu_seconds(*varco_pid) : std::nullopt;
  const auto start = std::chrono::steady_clock::now();
  bench::login_schedule schedule(run, start);
  std::vector<std::jthread> loops;
  loops.reserve(static_cast<std::size_t>(concurrency));
  for (int i = 0; i < concurrency; ++i) {
    loops.emplace_back([&] {
      const auto client = make_driver();
      std::vector<bench::login_result> mine;
      while (const auto due = schedule.next()) {
        std::this_thread::sleep_until(*due);  // pacing the load, not synchronising anything
        mine.push_back(client->login());
      }
      const std::lock_guard lock(merge);
      for (auto& r : mine) {
        ++report.logins;
        if (r.ok) {
          report.timings.push_back(r.timing);
          continue;
        }
        if (r.crypto_busy) ++report.crypto_busy;
        if (report.failures++ == 0) report.first_failure = std::move(r.failure);
      }
    });
  }
  loops.clear();  // joins
  report.wall = std::chrono::steady_clock::now() - start;
  const auto cpu_after = varco_pid ? bench::process_cpu_seconds(*varco_pid) : std::nullopt;
  if (cpu_before && cpu_after) {
    report.varco_cpu = bench::cpu_seconds{cpu_after->user - cpu_before->user,
                                          cpu_after->system - cpu_before->system};
  }
  return report;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return fail("a command is required");
  const std::string_view command = argv[1];
  std::map<std::string, std::string> args;
  for (int i = 2; i < argc; i += 2) {
    if (i + 1 >= argc || !std::string_view(argv[i]).starts_with("--"))
      return fail(std::string("bad argument ") + argv[i]);
    args[argv[i] + 2] = argv[i + 1];
  }
  const std::string protocol = args.contains("protocol") ? args["protocol"] : "saml";
  if (protocol != "saml" && protocol != "oidc") return fail("--protocol is saml or oidc");
  const bool oidc = command == "run" && protocol == "oidc";
  if (oidc && !args.contains("provider")) return fail("--provider is required with oidc");
  const saml::xml_library xml;
  const std::string user = args.contains("user") ? args["user"] : "RSSMRA80A01H501U";
  std::unique_ptr<bench::fast_idp> idp;  // SAML only: the IdP played in-process
  if (!oidc) {
    for (const char* required : {"idp-key", "idp-cert", "entity-id"}) {
      if (!args.contains(required)) return fail(std::string("--") + required + " is required");
    }
    auto credentials = saml::signing_credentials::from_files(args["idp-key"], args["idp-cert"]);
    if (!credentials) return fail("cannot load the IdP key: " + credentials.error().detail);
    idp = std::make_unique<bench::fast_idp>(args["entity-id"], std::move(*credentials), user);
  }

  if (command == "metadata") {
    if (!args.contains("out")) return fail("--out is required");
    std::ofstream out(args["out"], std::ios::binary);
    out << idp->metadata_xml();
    return out.good() ? 0 : fail("cannot write " + args["out"]);
  }
  if (command != "run") return fail("unknown command " + std::string(command));

  const auto port = number(args, "port", 0);
  const auto logins = number(args, "logins", 300);
  const auto warmup = number(args, "warmup", 20);
  const auto concurrency = number(args, "concurrency", 1);
  const auto pid = number(args, "varco-pid", 0);
  const auto rate = number(args, "rate", 0);
  const auto duration = number(args, "duration", 0);
  if (!port || *port == 0 || *port > 65535 || !args.contains("base-url"))
    return fail("--port and --base-url are required");
  if (!logins || !warmup || !concurrency || *concurrency == 0 || !pid || !rate || !duration)
    return fail(
        "--logins, --warmup, --concurrency, --rate, --duration and --varco-pid take numbers");
  bench::login_target target;
  target.port = static_cast<std::uint16_t>(*port);
  target.base_url = args["base-url"];
  target.return_path = args.contains("return") ? args["return"] : "/bench/x";
  target.expect_in_body = args.contains("expect-in-body") ? args["expect-in-body"] : user;
  target.provider = args["provider"];
  const driver_factory make_driver = [&]() -> std::unique_ptr<bench::login_driver> {
    if (oidc) return std::make_unique<bench::oidc_client>(target);
    return std::make_unique<bench::login_client>(target, *idp);
  };

  // Warm-up: first logins fill caches and connection pools (and, for OpenID Connect, resolve the
  // provider's trust chain); they must succeed too.
  const auto warm =
      run_logins(make_driver, {.count = static_cast<std::size_t>(*warmup)}, 1, std::nullopt);
  if (warm.failures > 0) {
    std::cerr << "varco-login-load: warm-up login failed: " << warm.first_failure << "\n";
    return 1;
  }
  bench::login_schedule::limits measured{.rate = static_cast<double>(*rate)};
  if (*duration > 0) {
    measured.length = std::chrono::seconds(*duration);
  } else {
    measured.count = static_cast<std::size_t>(*logins);
  }
  auto report = run_logins(make_driver, measured, *concurrency,
                           *pid > 0 ? std::optional<pid_t>(*pid) : std::nullopt);
  report.finish_step = oidc ? "callback" : "acs";
  report.print(std::cout);
  if (report.failures > 0) {
    std::cerr << "varco-login-load: " << report.failures << " of " << report.logins
              << " logins failed; the first: " << report.first_failure << "\n";
    return 1;
  }
  return 0;
}
