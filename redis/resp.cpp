#include "redis/resp.hpp"

#include <array>
#include <charconv>

namespace varco::redis {
namespace {

void append_length_line(std::string& out, char kind, std::size_t n) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), n).ptr;
  out.push_back(kind);
  out.append(digits.data(), end);
  out.append("\r\n");
}

template <class Args>
void append_command(std::string& out, const Args& args) {
  std::size_t size = 16;
  for (const auto& a : args) size += a.size() + 16;
  out.reserve(out.size() + size);
  append_length_line(out, '*', args.size());
  for (const auto& a : args) {
    append_length_line(out, '$', a.size());
    out.append(a);
    out.append("\r\n");
  }
}

}  // namespace

void append_resp_command(std::string& out, const std::vector<std::string>& args) {
  append_command(out, args);
}

void append_resp_command(std::string& out, std::initializer_list<std::string_view> args) {
  append_command(out, args);
}

}  // namespace varco::redis
