#include "federation/metadata_policy.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace varco::federation {
namespace {

boost::json::object obj(std::string_view json) { return boost::json::parse(json).as_object(); }

// Merges the policies from the superior down, then applies them.
outcome<boost::json::object> resolve(std::string_view metadata,
                                     std::vector<std::string_view> policies,
                                     std::vector<std::string> crit = {}) {
  boost::json::object merged;
  for (auto p : policies)
    if (auto ok = merge_policy(merged, obj(p), crit); !ok) return ok.error();
  return apply_policy(obj(metadata), merged);
}

reason refusal(std::string_view metadata, std::vector<std::string_view> policies,
               std::vector<std::string> crit = {}) {
  auto r = resolve(metadata, std::move(policies), std::move(crit));
  return r ? reason::internal_error : r.error().code;
}

TEST(metadata_policy, operators_apply_in_the_specified_order) {
  auto r =
      resolve(R"({"a":"x","list":["p","q","r"],"gone":1})",
              {R"({"a":{"value":"forced"},"gone":{"value":null},"list":{"subset_of":["q","r","s"]},
                        "add":{"add":["n"]},"d":{"default":7},"list2":{"add":["k"],"superset_of":["k"]}})"});
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(*r, obj(R"({"a":"forced","list":["q","r"],"add":["n"],"d":7,"list2":["k"]})"));
}

TEST(metadata_policy, checks_refuse_metadata_that_cannot_comply) {
  EXPECT_EQ(refusal(R"({"m":"c"})", {R"({"m":{"one_of":["a","b"]}})"}), reason::policy_violation);
  EXPECT_EQ(refusal(R"({"m":["a"]})", {R"({"m":{"one_of":["a"]}})"}), reason::policy_violation);
  EXPECT_EQ(refusal(R"({"m":["a"]})", {R"({"m":{"superset_of":["a","b"]}})"}),
            reason::policy_violation);
  EXPECT_EQ(refusal(R"({})", {R"({"m":{"essential":true}})"}), reason::policy_violation);
  EXPECT_EQ(refusal(R"({"m":"a"})", {R"({"m":{"subset_of":["a"]}})"}), reason::policy_violation);
  // Absent and not essential: the checks have nothing to check.
  EXPECT_TRUE(
      resolve(R"({})", {R"({"m":{"one_of":["a"],"subset_of":["a"],"superset_of":["a"]}})"}));
}

TEST(metadata_policy, merging_keeps_the_superior_in_charge) {
  // one_of and subset_of intersect, add and superset_of unite, essential stays on.
  auto r = resolve(
      R"({"m":["a","b","c"],"s":"b"})",
      {R"({"m":{"subset_of":["a","b"]},"s":{"one_of":["a","b","c"]},"e":{"essential":false}})",
       R"({"m":{"subset_of":["b","c"],"add":["b"]},"s":{"one_of":["b","c"]},"e":{"default":1,"essential":true}})"});
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(*r, obj(R"({"m":["b"],"s":"b","e":1})"));

  EXPECT_EQ(refusal("{}", {R"({"v":{"value":1}})", R"({"v":{"value":2}})"}),
            reason::policy_invalid);
  EXPECT_EQ(refusal("{}", {R"({"v":{"default":1}})", R"({"v":{"default":2}})"}),
            reason::policy_invalid);
  EXPECT_EQ(refusal("{}", {R"({"v":{"one_of":["a"]}})", R"({"v":{"one_of":["b"]}})"}),
            reason::policy_invalid);
  EXPECT_EQ(refusal("{}", {R"({"v":{"essential":true}})", R"({"v":{"essential":false}})"}),
            reason::policy_invalid);
  EXPECT_EQ(refusal("{}", {R"({"v":{"value":"x","one_of":["a"]}})"}), reason::policy_invalid);
  EXPECT_EQ(refusal("{}", {R"({"v":{"add":"x"}})"}), reason::policy_invalid);
  EXPECT_EQ(refusal("{}", {R"({"v":["not operators"]})"}), reason::policy_invalid);
}

TEST(metadata_policy, unknown_operators_are_ignored_unless_critical) {
  EXPECT_TRUE(resolve(R"({"v":"x"})", {R"({"v":{"regexp":"^y"}})"}));
  EXPECT_EQ(refusal(R"({"v":"x"})", {R"({"v":{"regexp":"^y"}})"}, {"regexp"}),
            reason::policy_invalid);
}

}  // namespace
}  // namespace varco::federation
