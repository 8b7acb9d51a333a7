// unique_ptr deleters for the hiredis handles the Redis client owns.
#pragma once

#include <hiredis/async.h>

#include <memory>

namespace varco::redis {

struct redis_async_context_free {
  void operator()(redisAsyncContext* c) const noexcept { redisAsyncFree(c); }
};
using redis_async_context_ptr = std::unique_ptr<redisAsyncContext, redis_async_context_free>;

}  // namespace varco::redis
