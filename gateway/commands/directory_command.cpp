// `varco directory import`: replaces the Redis directory with a YAML directory file, in one
// MULTI/EXEC, and notifies the running gateways so they reload at once. The file is checked
// completely first (every problem as `file:line: what`); nothing is written when it has any.
#include "conf/loader.hpp"
#include "directory/file_loader.hpp"
#include "directory/redis_directory.hpp"
#include "gateway/commands/commands.hpp"
#include "redis/connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>

namespace varco::gateway::commands {

int run_directory_command(std::span<const std::string_view> args, std::ostream& out,
                          std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? err : out) << "usage:\n" << directory_usage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "import") {
    err << "varco directory: unknown action " << args[0] << "\nusage:\n" << directory_usage;
    return 2;
  }
  std::string config_file;
  std::string directory_file;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const bool is_config = args[i] == "--config" || args[i] == "-c";
    if (!is_config && args[i] != "--file") {
      err << "varco directory import: unknown option " << args[i] << "\nusage:\n"
          << directory_usage;
      return 2;
    }
    if (i + 1 >= args.size()) {
      err << "varco directory import: " << args[i] << " needs a value\n";
      return 2;
    }
    (is_config ? config_file : directory_file) = std::string(args[++i]);
  }
  if (config_file.empty()) {
    err << "varco directory import: --config FILE is required\nusage:\n" << directory_usage;
    return 2;
  }

  const conf::load_outcome loaded = conf::load_config(config_file);
  if (!loaded.value) {
    for (const auto& e : loaded.errors) err << e.to_string() << '\n';
    return 1;
  }
  const conf::config& config = *loaded.value;
  if (config.directory.backend != conf::directory_backend::redis) {
    err << "varco directory import: " << config_file
        << " does not keep the directory in Redis (directory.backend: redis); the file and "
           "memory backends read the YAML file at start\n";
    return 1;
  }
  if (directory_file.empty()) directory_file = config.directory.file;
  if (directory_file.empty()) {
    err << "varco directory import: no --file and no directory.file in " << config_file << '\n';
    return 2;
  }
  const auto parsed = directory::load_directory_file(directory_file, 0);
  if (!parsed.ok()) {
    for (const auto& e : parsed.errors) err << e.to_string() << '\n';
    err << "varco directory import: nothing imported\n";
    return 1;
  }

  boost::asio::io_context io;
  auto connection = std::make_shared<redis::connection>(
      io.get_executor(), redis::with_client_name(config.sessions.redis, "varco:directory-import"));
  directory::redis_directory store(connection, config.sessions.redis.key_prefix);
  directory::directory_data data = parsed.directory->data();
  const std::size_t counts[] = {data.parties.size(), data.people.size(), data.memberships.size(),
                                data.delegations.size()};
  int code = 1;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        auto written = co_await store.replace(std::move(data), /*only_if_empty=*/false);
        if (!written) {
          err << "varco directory import: Redis " << config.sessions.redis.host << ':'
              << config.sessions.redis.port << ": " << written.error().message()
              << "; nothing imported\n";
        } else {
          auto read = co_await store.read();
          out << "imported " << directory_file << ": " << counts[0] << " parties, " << counts[1]
              << " users, " << counts[2] << " memberships, " << counts[3] << " delegations";
          if (read) out << " (directory version " << read->version << ")";
          out << '\n';
          code = 0;
        }
        io.stop();  // the connection's reconnect loop would keep run() going
      },
      boost::asio::detached);
  io.run();
  return code;
}

}  // namespace varco::gateway::commands
