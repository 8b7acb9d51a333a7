// An owned C++ copy of a hiredis reply: safe to keep after hiredis frees its own.
#pragma once

#include <string>
#include <vector>

struct redisReply;

namespace varco::redis {

struct reply {
  enum class kind { nil, string, status, error, integer, array };

  kind type = kind::nil;
  std::string str;  // string, status and error replies (binary safe)
  long long integer = 0;
  std::vector<reply> elements;

  bool is_nil() const { return type == kind::nil; }
  bool is_error() const { return type == kind::error; }
  bool is_status(std::string_view s) const { return type == kind::status && str == s; }

  static reply from(const redisReply& r);
};

}  // namespace varco::redis
