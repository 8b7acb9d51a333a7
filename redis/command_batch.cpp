#include "redis/command_batch.hpp"

#include "redis/resp.hpp"

#include <charconv>

namespace varco::redis {
namespace {

// Reads "<kind><n>\r\n" at `at`, moving past it. Only ever given text append_resp_command wrote.
std::size_t read_length_line(std::string_view text, std::size_t& at) {
  std::size_t n = 0;
  const char* first = text.data() + at + 1;  // past the kind character
  const auto [end, ec] = std::from_chars(first, text.data() + text.size(), n);
  at = static_cast<std::size_t>(end - text.data()) + 2;  // past "\r\n"
  return n;
}

}  // namespace

command_batch& command_batch::add(std::initializer_list<std::string_view> args) {
  append_resp_command(resp_, args);
  ends_.push_back(resp_.size());
  return *this;
}

command_batch& command_batch::add(const std::vector<std::string>& args) {
  append_resp_command(resp_, args);
  ends_.push_back(resp_.size());
  return *this;
}

std::string_view command_batch::command(std::size_t i) const {
  const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
  return std::string_view(resp_).substr(begin, ends_[i] - begin);
}

std::vector<std::vector<std::string>> command_batch::arguments() const {
  std::vector<std::vector<std::string>> out;
  out.reserve(size());
  for (std::size_t i = 0; i < size(); ++i) {
    const std::string_view text = command(i);
    std::size_t at = 0;
    const std::size_t argc = read_length_line(text, at);
    auto& args = out.emplace_back();
    args.reserve(argc);
    for (std::size_t a = 0; a < argc; ++a) {
      const std::size_t len = read_length_line(text, at);
      args.emplace_back(text.substr(at, len));
      at += len + 2;
    }
  }
  return out;
}

}  // namespace varco::redis
