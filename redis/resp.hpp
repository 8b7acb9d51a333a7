// A command in the Redis protocol (RESP): "*<argc>\r\n" then "$<len>\r\n<arg>\r\n" per argument.
// Formatted by varco and handed to hiredis whole (redisAsyncFormattedCommand), because hiredis's
// own formatter (sdscatfmt per argument, two argv arrays per call) was a visible part of a
// request's CPU when the session is read from Redis on every request.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace varco::redis {

// Appends `args` (binary safe) as one RESP array of bulk strings to `out`.
void append_resp_command(std::string& out, const std::vector<std::string>& args);
void append_resp_command(std::string& out, std::initializer_list<std::string_view> args);

}  // namespace varco::redis
