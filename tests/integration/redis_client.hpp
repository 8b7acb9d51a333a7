// A synchronous Redis client for the integration tests' own checks (hiredis, owned handles):
// what varco wrote, read back (or spoiled) independently of varco's own store code.
#pragma once

#include <hiredis/hiredis.h>

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace varco::integration {

struct redis_context_free {
  void operator()(redisContext* c) const noexcept { redisFree(c); }
};
struct redis_reply_free {
  void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
using redis_reply_ptr = std::unique_ptr<redisReply, redis_reply_free>;

class redis_client {
 public:
  explicit redis_client(std::uint16_t port) : context_(redisConnect("127.0.0.1", port)) {
    if (!context_ || context_->err) throw std::runtime_error("cannot connect to Redis");
  }
  redis_reply_ptr command(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    redis_reply_ptr reply(static_cast<redisReply*>(redisCommandArgv(
        context_.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
    if (!reply) throw std::runtime_error("Redis command failed");
    return reply;
  }
  // The same, throwing on an error reply as well.
  redis_reply_ptr checked_command(const std::vector<std::string>& args) {
    auto reply = command(args);
    if (reply->type == REDIS_REPLY_ERROR)
      throw std::runtime_error("Redis " + args.front() + " failed: " + reply->str);
    return reply;
  }
  long long integer(const std::vector<std::string>& args) { return command(args)->integer; }
  // The fields of one entry of `stream` (XRANGE id id); empty when it is not there.
  std::map<std::string, std::string> entry(const std::string& stream, const std::string& id) {
    auto reply = command({"XRANGE", stream, id, id});
    std::map<std::string, std::string> fields;
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 1) return fields;
    const redisReply* pairs = reply->element[0]->element[1];
    for (std::size_t i = 0; i + 1 < pairs->elements; i += 2)
      fields[pairs->element[i]->str] = pairs->element[i + 1]->str;
    return fields;
  }

 private:
  std::unique_ptr<redisContext, redis_context_free> context_;
};

}  // namespace varco::integration
