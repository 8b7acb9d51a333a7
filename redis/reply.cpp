#include "redis/reply.hpp"

#include <hiredis/hiredis.h>

namespace varco::redis {

reply reply::from(const redisReply& r) {
  reply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.type = kind::string;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = kind::status;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = kind::error;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = kind::integer;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = kind::array;
      out.elements.reserve(r.elements);
      for (size_t i = 0; i < r.elements; ++i) {
        if (r.element[i])
          out.elements.push_back(from(*r.element[i]));
        else
          out.elements.emplace_back();
      }
      break;
    default:
      out.type = kind::nil;
  }
  return out;
}

}  // namespace varco::redis
