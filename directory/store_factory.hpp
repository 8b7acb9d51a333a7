// Picks the writable directory store a worker uses from conf::directory_source.
#pragma once

#include "conf/config.hpp"
#include "directory/directory_store.hpp"
#include "directory/memory_directory.hpp"
#include "redis/connection.hpp"

#include <memory>

namespace varco::directory {

// file: null (the directory is read-only). memory: `shared_memory` (one for every worker; must
// not be null then). redis: a redis_directory on `connection`, the worker's session store
// connection (session::make_store_connection). Call on the worker's thread or before its
// io_context runs.
std::shared_ptr<directory_store> make_directory_store(
    const conf::config& config, std::shared_ptr<redis::connection> connection,
    std::shared_ptr<memory_directory> shared_memory);

}  // namespace varco::directory
