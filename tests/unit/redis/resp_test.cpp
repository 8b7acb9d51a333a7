// RESP formatting checked against hiredis's own formatter, byte for byte.
#include "redis/resp.hpp"

#include "redis/command_batch.hpp"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <memory>
#include <string>
#include <vector>

namespace varco::redis {
namespace {

std::string hiredis_format(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  char* formatted = nullptr;
  const long long n =
      redisFormatCommandArgv(&formatted, static_cast<int>(args.size()), argv.data(), lens.data());
  const std::unique_ptr<char, decltype(&redisFreeCommand)> owner(formatted, &redisFreeCommand);
  return n < 0 ? std::string("<error>") : std::string(formatted, static_cast<std::size_t>(n));
}

TEST(resp, formats_like_hiredis) {
  const std::vector<std::vector<std::string>> cases = {
      {"PING"},
      {"GET", "varco:s:0123456789abcdef"},
      {"SET", "k", std::string("binary\0\r\nvalue", 14), "PX", "1800000"},
      {"SET", "empty", ""},
      {"XADD", "stream", "*", "field", std::string(300, 'x')},
  };
  for (const auto& args : cases) {
    std::string out;
    append_resp_command(out, args);
    EXPECT_EQ(out, hiredis_format(args)) << args.front();
  }
}

TEST(resp, appends_after_what_is_there) {
  std::string out;
  append_resp_command(out, {"GET", "a"});
  append_resp_command(out, {"PTTL", "a"});
  EXPECT_EQ(out, "*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$4\r\nPTTL\r\n$1\r\na\r\n");
}

TEST(resp, views_format_like_hiredis) {
  const std::string binary("binary\0\r\nvalue", 14);
  std::string out;
  append_resp_command(out, {"SET", "k", binary, "PX", "1800000"});
  EXPECT_EQ(out, hiredis_format({"SET", "k", binary, "PX", "1800000"}));
  out.clear();
  append_resp_command(out, {"GET", ""});
  EXPECT_EQ(out, hiredis_format({"GET", ""}));
}

TEST(command_batch, holds_each_command_as_hiredis_formats_it_and_reads_them_back) {
  const std::vector<std::vector<std::string>> commands = {
      {"GET", "varco:s:0123456789abcdef"},
      {"PTTL", "varco:s:0123456789abcdef"},
      {"SET", "k", std::string("binary\0\r\n$3\r\n*2", 14), "PX", "1800000"},
      {"SET", "empty", ""},
      {"PING"},
      {"XADD", "stream", "*", "field", std::string(300, 'x')},
  };
  command_batch batch;
  batch.add({"GET", "varco:s:0123456789abcdef"}).add({"PTTL", "varco:s:0123456789abcdef"});
  for (std::size_t i = 2; i < commands.size(); ++i) batch.add(commands[i]);
  ASSERT_EQ(batch.size(), commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    EXPECT_EQ(batch.command(i), hiredis_format(commands[i])) << i;
  }
  EXPECT_EQ(batch.arguments(), commands);
  EXPECT_TRUE(command_batch().arguments().empty());
}

}  // namespace
}  // namespace varco::redis
