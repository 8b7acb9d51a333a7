#include "gateway/telemetry/access_log.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <ctime>

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

bool setup_logging(std::string_view level_name, std::size_t queue_lines) {
  auto level = spdlog::level::from_str(std::string(level_name));
  // from_str answers "off" for anything it does not know; only an explicit "off" means off.
  const bool known = level != spdlog::level::off || level_name == "off";
  if (!known) level = spdlog::level::info;

  auto pool = std::make_shared<spdlog::details::thread_pool>(queue_lines, 1);
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  sink->set_formatter(make_json_formatter());

  const auto make = [&](std::string_view name) {
    auto logger = std::make_shared<spdlog::async_logger>(
        std::string(name), sink, pool, spdlog::async_overflow_policy::overrun_oldest);
    // Flushing happens on the logging thread, so lines reach a pipe promptly at no worker cost.
    logger->flush_on(spdlog::level::trace);
    return logger;
  };
  auto main = make(main_logger);
  main->set_level(level);
  auto access = make(access_logger);
  access->set_level(spdlog::level::info);
  shutdown_logging();
  state = logging_state{std::move(pool), std::move(main), std::move(access)};
  spdlog::register_logger(state.access);
  spdlog::set_default_logger(state.main);
  return known;
}

void shutdown_logging() {
  spdlog::shutdown();  // drops the registry's references, including the default logger
  state.main.reset();
  state.access.reset();
  state.pool.reset();  // drains the queue, then joins the logging thread
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
