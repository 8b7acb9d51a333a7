// Structured logs: one JSON object per line on stdout, or appended to files (logging.file,
// logging.access_file) that reopen_log_files() reopens by path after a rotation.
//
// Two spdlog loggers, both asynchronous on one bounded queue that drops the oldest line when full
// (overflow_policy::overrun_oldest), so a slow stdout or disk never blocks a worker:
//  - "varco": {"ts","level","logger","msg",…} application events (also the default logger);
//  - "access": one access_record per request, {"ts",…record fields…}.
// Timestamps are added by the logging thread, so workers pay only for serialising the record.
#pragma once

#include <boost/json/object.hpp>
#include <spdlog/common.h>
#include <spdlog/formatter.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace varco::gateway {

// What is logged about a request. There is deliberately no field for headers, cookies, query
// strings or bodies: secrets cannot reach the access log through it. The views only need to live
// for the duration of the call that renders or logs the record.
struct access_record {
  std::string_view method;
  std::string_view path;  // normalised, without query (a '?' and what follows are cut anyway)
  unsigned status = 0;
  std::string_view upstream;  // the upstream URL text, empty when not proxied
  std::string_view product;
  std::string_view environment;
  std::string_view party;
  std::uint64_t duration_us = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::string_view request_id;
  std::string_view client;  // client address (first untrusted hop)
  std::string_view reason;  // reason code of a rejection or failure, empty when served
};

// The record as one JSON object (no trailing newline); empty strings become null.
std::string to_json(const access_record& record);

// Where the two loggers write. `file` empty: stdout. `access_file` empty: wherever the "varco"
// logger writes; naming the same path as `file` also shares one file.
struct log_destinations {
  std::string file;
  std::string access_file;
};

// Creates (or re-creates) the "varco" and "access" loggers and makes "varco" the default.
// `level`: trace, debug, info, warn, error (also warning, err, critical, off). Returns false, and
// uses info, for anything else. Throws std::system_error when a log file cannot be opened, and
// then leaves the loggers as they were. Start-up only; not thread-safe with concurrent logging.
bool setup_logging(std::string_view level, std::size_t queue_lines = 8192,
                   const log_destinations& destinations = {});

// Reopens every log file by its path (the rotation signal, SIGUSR1) and logs the outcome: one info
// line per file reopened, one error line (reason=log_reopen_failed) per file that could not be,
// which keeps being written; one info line when logging goes to stdout only. Thread-safe with
// logging; not with setup_logging or shutdown_logging.
void reopen_log_files();

// Flushes and stops the logging thread (call at exit; later log calls are dropped).
void shutdown_logging();

// Logs `record` on the "access" logger (no-op before setup_logging). Thread-safe.
void log_access(const access_record& record);

// Logs an application event with extra structured fields on the "varco" logger:
// {"ts","level","logger","msg",<fields>…}. Thread-safe.
void log_event(spdlog::level::level_enum level, std::string_view msg,
               const boost::json::object& fields = {});

// The formatter both loggers use (exposed for tests and for extra sinks).
std::unique_ptr<spdlog::formatter> make_json_formatter();

}  // namespace varco::gateway
