#include "redis/stream_replies.hpp"

namespace varco::redis {
namespace {

bool is_bulk(const reply& r) { return r.type == reply::kind::string; }

}  // namespace

std::vector<stream_entry> stream_entries(const reply& entries) {
  std::vector<stream_entry> out;
  if (entries.type != reply::kind::array) return out;
  for (const auto& element : entries.elements) {
    if (element.type != reply::kind::array || element.elements.size() != 2 ||
        !is_bulk(element.elements[0]))
      continue;
    stream_entry entry{element.elements[0].str, {}};
    const auto& pairs = element.elements[1];
    if (pairs.type == reply::kind::array) {
      for (std::size_t i = 0; i + 1 < pairs.elements.size(); i += 2) {
        if (!is_bulk(pairs.elements[i]) || !is_bulk(pairs.elements[i + 1])) continue;
        entry.fields.emplace_back(pairs.elements[i].str, pairs.elements[i + 1].str);
      }
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<stream_entry> read_group_entries(const reply& answer) {
  if (answer.type != reply::kind::array || answer.elements.empty()) return {};
  const auto& first = answer.elements.front();
  if (first.type != reply::kind::array || first.elements.size() != 2) return {};
  return stream_entries(first.elements[1]);
}

std::vector<stream_entry> autoclaim_entries(const reply& answer) {
  if (answer.type != reply::kind::array || answer.elements.size() < 2) return {};
  return stream_entries(answer.elements[1]);
}

}  // namespace varco::redis
