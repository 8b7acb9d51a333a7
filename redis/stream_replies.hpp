// The stream entries inside XREADGROUP, XAUTOCLAIM and XRANGE replies. Pure functions over an
// owned reply, for redis/streams.cpp and its tests; lenient: a malformed element is skipped.
#pragma once

#include "redis/reply.hpp"
#include "redis/streams.hpp"

#include <vector>

namespace varco::redis {

// An array of [id, [field, value, …]] pairs. An entry deleted while pending (XAUTOCLAIM and
// XREADGROUP report a nil field list) comes back with no fields.
std::vector<stream_entry> stream_entries(const reply& entries);

// XREADGROUP … STREAMS <one stream> >: [[stream, entries]], or nil when nothing arrived.
std::vector<stream_entry> read_group_entries(const reply& answer);

// XAUTOCLAIM: [next cursor, entries, deleted ids].
std::vector<stream_entry> autoclaim_entries(const reply& answer);

}  // namespace varco::redis
