#include "gateway/telemetry/access_log.hpp"

#include "gateway/telemetry/reopenable_file_sink.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <ctime>
#include <vector>

namespace varco::gateway {

namespace {

// A payload that starts with this byte carries ready JSON members (`"msg":…,"k":v`) rather than
// a plain message; application messages never contain a unit separator.
constexpr char members_marker = '\x1f';
constexpr std::string_view access_logger = "access";
constexpr std::string_view main_logger = "varco";

void append(spdlog::memory_buf_t& dest, std::string_view s) {
  dest.append(s.data(), s.data() + s.size());
}

void append_timestamp(spdlog::memory_buf_t& dest, spdlog::log_clock::time_point tp) {
  const auto since_epoch = tp.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  const std::time_t t = seconds.count();
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
  append(dest, std::string_view(buf.data(), n));
  const std::array<char, 6> ms{'.',
                               static_cast<char>('0' + millis / 100),
                               static_cast<char>('0' + millis / 10 % 10),
                               static_cast<char>('0' + millis % 10),
                               'Z',
                               '"'};
  append(dest, std::string_view(ms.data(), ms.size()));
}

class json_formatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    append(dest, "{\"ts\":\"");
    append_timestamp(dest, msg.time);
    if (std::string_view(msg.logger_name.data(), msg.logger_name.size()) == access_logger &&
        payload.size() >= 2 && payload.front() == '{') {
      // An access record: already a JSON object, spliced after the timestamp.
      append(dest, ",");
      append(dest, payload.substr(1));
    } else {
      append(dest, ",\"level\":\"");
      const auto level = spdlog::level::to_string_view(msg.level);
      append(dest, std::string_view(level.data(), level.size()));
      append(dest, "\",\"logger\":");
      append(dest, boost::json::serialize(
                       boost::json::string_view(msg.logger_name.data(), msg.logger_name.size())));
      append(dest, ",");
      if (!payload.empty() && payload.front() == members_marker) {
        append(dest, payload.substr(1));
      } else {
        append(dest, "\"msg\":");
        append(dest, boost::json::serialize(boost::json::string_view(payload)));
      }
      append(dest, "}");
    }
    append(dest, "\n");
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<json_formatter>();
  }
};

// Set at start-up, read by workers: cached here because spdlog::get() takes the registry's mutex.
struct logging_state {
  std::shared_ptr<spdlog::details::thread_pool> pool;  // async loggers only hold it weakly
  std::shared_ptr<spdlog::logger> main;
  std::shared_ptr<spdlog::logger> access;
  std::vector<std::shared_ptr<reopenable_file_sink>> files;  // none when logging to stdout
};
logging_state state;

boost::json::value text_or_null(std::string_view s) {
  if (s.empty()) return nullptr;
  return boost::json::string(s);
}

}  // namespace

std::string to_json(const access_record& r) {
  auto path = r.path;
  path = path.substr(0, path.find('?'));
  boost::json::object o;
  o["method"] = r.method;
  o["path"] = path;
  o["status"] = r.status;
  o["upstream"] = text_or_null(r.upstream);
  o["product"] = text_or_null(r.product);
  o["environment"] = text_or_null(r.environment);
  o["party"] = text_or_null(r.party);
  o["duration_us"] = r.duration_us;
  o["bytes_in"] = r.bytes_in;
  o["bytes_out"] = r.bytes_out;
  o["request_id"] = r.request_id;
  o["client"] = r.client;
  o["reason"] = text_or_null(r.reason);
  return boost::json::serialize(o);
}

std::unique_ptr<spdlog::formatter> make_json_formatter() {
  return std::make_unique<json_formatter>();
}

bool setup_logging(std::string_view level_name, std::size_t queue_lines,
                   const log_destinations& destinations) {
  auto level = spdlog::level::from_str(std::string(level_name));
  // from_str answers "off" for anything it does not know; only an explicit "off" means off.
  const bool known = level != spdlog::level::off || level_name == "off";
  if (!known) level = spdlog::level::info;

  // Files are opened first: one that cannot be opened throws before the running loggers go.
  std::vector<std::shared_ptr<reopenable_file_sink>> files;
  const auto sink_for = [&files](const std::string& path) -> spdlog::sink_ptr {
    if (path.empty()) {
      auto out = std::make_shared<spdlog::sinks::stdout_sink_mt>();
      out->set_formatter(make_json_formatter());
      return out;
    }
    for (const auto& file : files)
      if (file->path() == path) return file;
    files.push_back(std::make_shared<reopenable_file_sink>(path));
    files.back()->set_formatter(make_json_formatter());
    return files.back();
  };
  const auto main_sink = sink_for(destinations.file);
  const auto access_sink =
      destinations.access_file.empty() ? main_sink : sink_for(destinations.access_file);

  auto pool = std::make_shared<spdlog::details::thread_pool>(queue_lines, 1);
  const auto make = [&](std::string_view name, const spdlog::sink_ptr& sink) {
    auto logger = std::make_shared<spdlog::async_logger>(
        std::string(name), sink, pool, spdlog::async_overflow_policy::overrun_oldest);
    // Flushing happens on the logging thread, so lines reach a pipe promptly at no worker cost.
    logger->flush_on(spdlog::level::trace);
    return logger;
  };
  auto main = make(main_logger, main_sink);
  main->set_level(level);
  auto access = make(access_logger, access_sink);
  access->set_level(spdlog::level::info);
  shutdown_logging();
  state = logging_state{std::move(pool), std::move(main), std::move(access), std::move(files)};
  spdlog::register_logger(state.access);
  spdlog::set_default_logger(state.main);
  return known;
}

void shutdown_logging() {
  spdlog::shutdown();  // drops the registry's references, including the default logger
  state.main.reset();
  state.access.reset();
  state.pool.reset();   // drains the queue, then joins the logging thread
  state.files.clear();  // closes the files, every line already written
}

void reopen_log_files() {
  if (state.files.empty()) {
    log_event(spdlog::level::info, "log files: logging to stdout, nothing to reopen");
    return;
  }
  for (const auto& file : state.files) {
    if (const auto error = file->reopen()) {
      log_event(spdlog::level::err,
                "cannot reopen the log file, still writing to the one already open "
                "(reason=log_reopen_failed)",
                {{"path", file->path()}, {"error", error.message()}});
    } else {
      log_event(spdlog::level::info, "log file reopened", {{"path", file->path()}});
    }
  }
}

void log_access(const access_record& record) {
  if (state.access) state.access->info(to_json(record));
}

void log_event(spdlog::level::level_enum level, std::string_view msg,
               const boost::json::object& fields) {
  const auto& logger = state.main;
  if (!logger || !logger->should_log(level)) return;
  boost::json::object o;
  o["msg"] = msg;
  for (const auto& [k, v] : fields) {
    if (k != "ts" && k != "level" && k != "logger" && k != "msg") o[k] = v;
  }
  auto members = boost::json::serialize(o);
  members.front() = members_marker;  // "{…}" → "\x1f…}": the formatter closes the object itself
  members.pop_back();
  logger->log(level, members);
}

}  // namespace varco::gateway
