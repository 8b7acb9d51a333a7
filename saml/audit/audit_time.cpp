#include "saml/audit/audit_time.hpp"

#include <charconv>
#include <cstdio>

namespace varco::saml::audit {
namespace {

using namespace std::chrono;

bool read_number(std::string_view text, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > text.size()) return false;
  const char* first = text.data() + pos;
  const char* last = first + width;
  for (const char* p = first; p != last; ++p)
    if (*p < '0' || *p > '9') return false;
  return std::from_chars(first, last, out).ec == std::errc{};
}

}  // namespace

std::string format_time(audit_time t) {
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{t - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                int(hms.subseconds().count()));
  return buffer;
}

std::optional<audit_time> parse_time(std::string_view text) {
  // Exactly the shape format_time writes: anything else is not a record this log produced.
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != '.' || text[23] != 'Z')
    return std::nullopt;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (!read_number(text, 0, 4, y) || !read_number(text, 5, 2, mo) || !read_number(text, 8, 2, d) ||
      !read_number(text, 11, 2, h) || !read_number(text, 14, 2, mi) ||
      !read_number(text, 17, 2, s) || !read_number(text, 20, 3, ms))
    return std::nullopt;
  const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
}

int month_index(year_month ym) { return int(ym.year()) * 12 + int(unsigned(ym.month())) - 1; }

int month_index(audit_time t) {
  const year_month_day ymd{floor<days>(t)};
  return month_index(ymd.year() / ymd.month());
}

year_month month_of(int index) { return year{index / 12} / month{unsigned(index % 12 + 1)}; }

}  // namespace varco::saml::audit
