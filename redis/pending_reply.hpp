// What a command handed to hiredis waits for (internal to the Redis client): the slot of a
// pipeline() command in its batch, or a callback. connection.cpp keeps them in send order and
// routes each reply to its sink.
#pragma once

#include "redis/errors.hpp"
#include "redis/reply.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/result.hpp>
#include <hiredis/hiredis.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace varco::redis::detail {

using reply_fn = std::function<void(const redisReply*)>;

// What one pipeline() call waits for. The timer doubles as the wake-up signal: the last reply
// cancels it; if it fires instead, the batch timed out.
struct pending_batch {
  pending_batch(const boost::asio::any_io_executor& ex, std::size_t n)
      : timer(ex), outcomes(n), remaining(n) {}

  void complete(std::size_t i, const redisReply* r) {
    if (finished || outcomes[i]) return;
    if (r) {
      outcomes[i].emplace(reply::from(*r));
    } else {
      outcomes[i].emplace(store_errc::unavailable);
    }
    if (--remaining == 0) timer.cancel();
  }

  boost::asio::steady_timer timer;
  std::vector<std::optional<boost::system::result<reply>>> outcomes;
  std::size_t remaining;
  bool finished = false;  // late replies are ignored
};

// A command handed to hiredis, waiting for its reply; its address is hiredis's privdata.
struct sink {
  std::shared_ptr<pending_batch> batch;  // a pipeline() command: its slot in the batch
  std::size_t index = 0;
  reply_fn fn;  // any other command

  void operator()(const redisReply* r) const {
    if (batch) {
      batch->complete(index, r);
    } else {
      fn(r);
    }
  }
};

}  // namespace varco::redis::detail
