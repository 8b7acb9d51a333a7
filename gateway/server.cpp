#include "gateway/server.hpp"

#include "directory/memory_directory.hpp"
#include "gateway/directory_sync.hpp"
#include "gateway/endpoint/crypto_pool.hpp"
#include "gateway/login/idp_url_refresh.hpp"
#include "gateway/login/login_audit.hpp"
#include "gateway/login/saml_service.hpp"
#include "gateway/portal/support_forwarder.hpp"
#include "gateway/telemetry/access_log.hpp"
#include "gateway/tls_context.hpp"
#include "gateway/worker.hpp"
#include "session/memory_login_state.hpp"
#include "session/memory_store.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <system_error>
#include <thread>

namespace varco::gateway {
namespace {

// The logging queue: lines beyond it drop the oldest rather than block a worker.
constexpr std::size_t log_queue_lines = 8192;

unsigned one_per_core() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 0 ? cores : 1;
}

unsigned worker_count(const conf::config& config) {
  return config.server.workers > 0 ? config.server.workers : one_per_core();
}

void write_ready_file(const std::string& path,
                      const std::vector<std::pair<tcp::endpoint, bool>>& bound) {
  if (path.empty()) return;
  std::string json = R"({"listeners":[)";
  for (std::size_t i = 0; i < bound.size(); ++i) {
    if (i) json += ',';
    json += R"({"address":")" + bound[i].first.address().to_string() + R"(","port":)" +
            std::to_string(bound[i].first.port()) + R"(,"tls":)" +
            (bound[i].second ? "true" : "false") + "}";
  }
  json += R"(],"pid":)" + std::to_string(::getpid()) + "}\n";
  // Written whole to a temporary name and renamed, so a reader never sees half a file.
  const std::string temporary = path + ".tmp";
  std::ofstream(temporary) << json;
  std::rename(temporary.c_str(), path.c_str());
}

// Settings that only a restart can change; a reload that changes them keeps the old ones.
std::vector<std::string> restart_only_changes(const conf::config& before,
                                              const conf::config& after) {
  std::vector<std::string> changed;
  auto same_listeners = [&] {
    if (before.server.listeners.size() != after.server.listeners.size()) return false;
    for (std::size_t i = 0; i < before.server.listeners.size(); ++i) {
      const auto& a = before.server.listeners[i];
      const auto& b = after.server.listeners[i];
      if (a.address != b.address || a.port != b.port || a.tls.has_value() != b.tls.has_value())
        return false;
    }
    return true;
  };
  if (!same_listeners()) changed.emplace_back("server.listeners");
  if (before.server.workers != after.server.workers) changed.emplace_back("server.workers");
  if (before.server.crypto_threads != after.server.crypto_threads)
    changed.emplace_back("server.crypto_threads");
  if (before.sessions.store != after.sessions.store) changed.emplace_back("sessions.store");
  const auto& r1 = before.sessions.redis;
  const auto& r2 = after.sessions.redis;
  if (r1.host != r2.host || r1.port != r2.port || r1.database != r2.database ||
      r1.key_prefix != r2.key_prefix || r1.password != r2.password || r1.sentinel != r2.sentinel ||
      r1.cluster != r2.cluster)
    changed.emplace_back("sessions.redis");
  // The files stay open across a reload; SIGUSR1 reopens the same paths.
  if (before.logging.file != after.logging.file) changed.emplace_back("logging.file");
  if (before.logging.access_file != after.logging.access_file)
    changed.emplace_back("logging.access_file");
  return changed;
}

}  // namespace

int serve(const serve_options& options) {
  // SIGUSR1's default action ends the process: until the signal set below handles it, a log
  // rotation that signals a starting varco must be harmless.
  std::signal(SIGUSR1, SIG_IGN);
  runtime_errors errors;
  auto first = build_runtime(options.config_path, 1, errors);
  if (!first) {
    for (const auto& line : errors.lines) spdlog::error("{} (reason=config_invalid)", line);
    return 1;
  }
  const conf::config& config = *first->config;
  try {
    setup_logging(config.logging.level, log_queue_lines,
                  {config.logging.file, config.logging.access_file});
  } catch (const std::system_error& e) {
    spdlog::error("{}: logging: {} (reason=log_file_unavailable)", config.source_file, e.what());
    return 1;
  }
  shared_state shared(first);
  if (config.sessions.store == conf::store_kind::memory) {
    shared.memory_store =
        std::make_shared<session::memory_store>(config.sessions.cache_entries * 10);
    shared.memory_login_state = std::make_shared<session::memory_login_state>();
  }
  if (config.directory.backend == conf::directory_backend::memory)
    shared.memory_directory = std::make_shared<directory::memory_directory>();
  for (const auto& listener : config.server.listeners) {
    if (!listener.tls) continue;
    auto context = make_server_tls_context(*listener.tls);
    if (!context) {
      spdlog::error("{}: TLS: {} (reason=tls_invalid)", config.source_file, context.error());
      return 1;
    }
    shared.tls = std::move(*context);
    break;  // one certificate for every TLS listener
  }

  // Before the workers, which take it; emptied after they stopped (below).
  auto audit = std::make_unique<audit_writers>();
  shared.audit = audit.get();
  // Likewise; stopped while the workers still run, so the jobs it accepted are answered.
  crypto_pool crypto(config.server.crypto_threads > 0 ? config.server.crypto_threads
                                                      : one_per_core());
  shared.crypto = &crypto;
  const unsigned count = worker_count(config);
  std::vector<std::unique_ptr<worker>> workers;
  for (unsigned i = 0; i < count; ++i) {
    workers.push_back(std::make_unique<worker>(i, shared));
    shared.workers.push_back(workers.back().get());
  }

  std::vector<std::pair<tcp::endpoint, bool>> bound;
  try {
    for (const auto& listener : config.server.listeners) {
      tcp::endpoint wanted(asio::ip::make_address(listener.address), listener.port);
      worker::refuse_a_port_already_served(wanted);
      // The first worker may get an ephemeral port (port 0); the others share that port.
      const tcp::endpoint actual = workers.front()->listen(wanted, listener.tls.has_value());
      for (unsigned i = 1; i < count; ++i) workers[i]->listen(actual, listener.tls.has_value());
      bound.emplace_back(actual, listener.tls.has_value());
    }
  } catch (const std::exception& e) {
    spdlog::error("{}: cannot listen: {} (reason=listen_failed)", config.source_file, e.what());
    return 1;
  }

  asio::io_context control(1);
  // Before the workers serve: a memory directory is seeded here, so the first writes find it.
  directory_sync directory(control, shared.runtime_holder, shared.memory_directory);
  directory.start();
  std::atomic<unsigned> drained{0};
  shared.worker_drained = [&] {
    // Each worker reports once; the last one ends the drain.
    if (drained.fetch_add(1) + 1 == count) asio::post(control, [&] { control.stop(); });
  };

  // The support webhook forwarder: once per process, on the first worker's thread (it is built
  // there, as its Redis connection must be). Requests are stored only on the Redis store.
  std::unique_ptr<support_forwarder> forwarder;
  if (config.sessions.store == conf::store_kind::redis) {
    asio::post(workers.front()->io(), [&forwarder, &shared, &workers] {
      forwarder = std::make_unique<support_forwarder>(
          workers.front()->io(), [&holder = shared.runtime_holder] { return holder.current(); },
          support_consumer_name());
      forwarder->start();
    });
  }

  // Registered before any worker runs, so from here on every one of these signals is handled
  // (asio queues a signal that arrives before the first async_wait).
  asio::signal_set signals(control, SIGTERM, SIGINT, SIGHUP);
  signals.add(SIGUSR1);
  std::vector<std::thread> threads;
  for (auto& w : workers) {
    w->start_accepting();
    threads.emplace_back([&w] { w->run(); });
  }
  for (const auto& [endpoint, tls] : bound)
    spdlog::info("listening on {}:{}{} with {} workers", endpoint.address().to_string(),
                 endpoint.port(), tls ? " (TLS)" : "", count);
  write_ready_file(options.ready_file, bound);

  std::signal(SIGPIPE, SIG_IGN);
  asio::steady_timer drain_deadline(control);
  bool draining = false;
  // IdP metadata sources given by URL: each fetched again when it falls due, on this thread.
  idp_url_refresher idp_urls(control,
                             [&holder = shared.runtime_holder] { return holder.current(); });
  std::function<void(const boost::system::error_code&, int)> on_signal;
  on_signal = [&](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    if (signal_number == SIGHUP && !draining) {
      runtime_errors reload_errors;
      const std::uint64_t loads = shared.runtime_holder.current()->config_generation + 1;
      auto next = build_runtime(options.config_path, shared.runtime_holder.next_generation(),
                                reload_errors, loads, shared.runtime_holder.current().get());
      if (!next) {
        for (const auto& line : reload_errors.lines)
          spdlog::error(
              "reload refused, keeping the running configuration: {} (reason=config_invalid)",
              line);
      } else {
        for (const auto& setting :
             restart_only_changes(*shared.runtime_holder.current()->config, *next->config))
          spdlog::warn(
              "reload: {} changed; it takes effect only after a restart (reason=restart_required)",
              setting);
        shared.runtime_holder.replace(std::move(next));
        idp_urls.wake();
        spdlog::info("configuration reloaded (generation {})", loads);
      }
    } else if (signal_number == SIGUSR1) {
      reopen_log_files();  // after logrotate moved the files away
    } else if (signal_number == SIGTERM || signal_number == SIGINT) {
      if (!draining) {
        draining = true;
        idp_urls.stop();
        const auto deadline = shared.runtime_holder.current()->config->server.timeouts.drain;
        spdlog::info("draining: no new connections, in-flight requests have {} ms",
                     deadline.count());
        for (auto& w : workers) asio::post(w->io(), [&w] { w->begin_drain(); });
        drain_deadline.expires_after(deadline);
        drain_deadline.async_wait([&](const boost::system::error_code& timer_ec) {
          if (timer_ec) return;
          spdlog::warn(
              "drain deadline reached, closing the remaining connections (reason=drain_timeout)");
          control.stop();
        });
      }
    }
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);

  // IdP metadata files are re-read on a schedule; a source that fails keeps its last good copy.
  asio::steady_timer idp_refresh(control);
  std::function<void()> schedule_refresh;
  schedule_refresh = [&] {
    auto current = shared.runtime_holder.current();
    if (!current->saml) return;
    idp_refresh.expires_after(current->config->saml.idp_refresh);
    idp_refresh.async_wait([&](const boost::system::error_code& timer_ec) {
      if (timer_ec || draining) return;
      if (auto now = shared.runtime_holder.current(); now->saml) refresh_idps(*now->saml);
      schedule_refresh();
    });
  };
  schedule_refresh();
  idp_urls.start();
  control.run();

  // The login jobs still queued run and their requests are answered (a connection the drain
  // deadline is about to close may not see it); a login arriving now is refused (crypto_busy).
  crypto.stop();
  for (auto& w : workers)
    asio::post(w->io(), [&w] {
      w->force_close();
      w->io().stop();
    });
  for (auto& thread : threads) thread.join();
  // Writes the records still queued and joins the writer threads: a record a login was waiting
  // for is on disk before exit (that login itself was not answered).
  audit.reset();
  spdlog::info("stopped");
  // Every connection is closed and every worker thread has returned. Leave without running
  // destructors: coroutine frames still parked on the stopped io_contexts (Redis reconnect loops)
  // refer to worker members, and tearing them down in any order buys nothing at exit.
  shutdown_logging();
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(0);
}

}  // namespace varco::gateway
