// The runtime holder's two swaps: a newer directory replaces the running one (and only a newer
// one, whatever order notifications arrive in), and a configuration reload keeps a writable
// directory instead of rolling it back to the seed file.
#include "gateway/runtime.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

std::shared_ptr<const runtime> first_runtime(conf::directory_backend backend) {
  auto config = std::make_shared<conf::config>();
  config->directory.backend = backend;
  runtime r;
  r.config = config;
  r.directory = std::make_shared<const directory::snapshot>();
  r.generation = 1;
  return std::make_shared<const runtime>(std::move(r));
}

std::shared_ptr<const directory::snapshot> directory_with(const std::string& party_id,
                                                          std::uint64_t version) {
  directory::directory_data data;
  data.parties.push_back({party_id, "Ente", "PA", "80012340123", "", "", {}});
  return std::make_shared<const directory::snapshot>(std::move(data), version);
}

TEST(runtime_holder, a_newer_directory_is_swapped_in_with_a_new_generation) {
  runtime_holder holder(first_runtime(conf::directory_backend::redis));
  runtime_view view(holder);
  const auto before = view.get();
  ASSERT_TRUE(holder.replace_directory(directory_with("p-2", 2), 2));
  const auto& after = view.get();
  EXPECT_NE(after->generation, before->generation);
  EXPECT_EQ(after->directory_version, 2u);
  EXPECT_NE(after->directory->find_party("p-2"), nullptr);
  // Everything else is the same runtime.
  EXPECT_EQ(after->config, before->config);
}

TEST(runtime_holder, an_older_or_equal_version_never_rolls_the_directory_back) {
  runtime_holder holder(first_runtime(conf::directory_backend::redis));
  ASSERT_TRUE(holder.replace_directory(directory_with("p-5", 5), 5));
  EXPECT_FALSE(holder.replace_directory(directory_with("p-4", 4), 4));
  EXPECT_FALSE(holder.replace_directory(directory_with("p-5b", 5), 5));
  EXPECT_NE(holder.current()->directory->find_party("p-5"), nullptr);
  EXPECT_EQ(holder.current()->directory_version, 5u);
}

TEST(runtime_holder, a_reload_keeps_a_writable_directory_but_not_a_file_one) {
  runtime_holder holder(first_runtime(conf::directory_backend::redis));
  ASSERT_TRUE(holder.replace_directory(directory_with("written", 3), 3));
  auto reloaded = first_runtime(conf::directory_backend::redis);
  auto next = std::make_shared<runtime>(*reloaded);
  next->generation = holder.next_generation();
  next->directory = directory_with("from-file", 0);
  holder.replace(next);
  EXPECT_NE(holder.current()->directory->find_party("written"), nullptr);
  EXPECT_EQ(holder.current()->directory_version, 3u);
  EXPECT_EQ(holder.current()->generation, next->generation);

  runtime_holder file_holder(first_runtime(conf::directory_backend::file));
  auto file_next = std::make_shared<runtime>(*first_runtime(conf::directory_backend::file));
  file_next->generation = file_holder.next_generation();
  file_next->directory = directory_with("from-file", 0);
  file_holder.replace(file_next);
  EXPECT_NE(file_holder.current()->directory->find_party("from-file"), nullptr);
}

TEST(runtime_holder, generations_are_never_reused) {
  runtime_holder holder(first_runtime(conf::directory_backend::memory));
  const auto a = holder.next_generation();
  ASSERT_TRUE(holder.replace_directory(directory_with("x", 1), 1));
  const auto b = holder.current()->generation;
  const auto c = holder.next_generation();
  EXPECT_LT(1u, a);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

}  // namespace
}  // namespace varco::gateway
