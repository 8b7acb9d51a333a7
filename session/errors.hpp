// The session stores' errors: the Redis client's store_errc (redis/errors.hpp), one category for
// the memory and Redis stores alike, so callers compare against one enum whichever store runs.
#pragma once

#include "redis/errors.hpp"

namespace varco::session {

using redis::store_errc;

}  // namespace varco::session
