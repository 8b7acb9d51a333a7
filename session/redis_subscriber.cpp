#include "session/redis_subscriber.hpp"

namespace varco::session {

redis_subscriber::redis_subscriber(boost::asio::any_io_executor executor, const conf::redis& config,
                                   revocation_handler handler)
    : connection_(std::move(executor), redis::with_client_name(config, "varco:revocations")) {
  auto shared = std::make_shared<revocation_handler>(std::move(handler));
  connection_.subscribe(
      channel_name(config), [shared](std::string_view key) { (*shared)(key); },
      [shared] { (*shared)(std::string_view{}); });
}

}  // namespace varco::session
