#include "bench/login_load/load_report.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <string_view>
#include <unistd.h>

namespace varco::bench {
namespace {

// The nearest-rank percentile of one step, in milliseconds.
double percentile_ms(const std::vector<login_timing>& timings,
                     std::chrono::nanoseconds login_timing::*step, double p) {
  if (timings.empty()) return 0;
  std::vector<std::chrono::nanoseconds> values;
  values.reserve(timings.size());
  for (const auto& t : timings) values.push_back(t.*step);
  std::sort(values.begin(), values.end());
  const auto rank =
      static_cast<std::size_t>(std::lround(p * static_cast<double>(values.size() - 1)));
  return std::chrono::duration<double, std::milli>(values[rank]).count();
}

}  // namespace

std::optional<cpu_seconds> process_cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;
  // Field 2 (comm) is in parentheses and may hold spaces: count fields after its ')'.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // utime is field 14, stime 15
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  const auto ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return cpu_seconds{static_cast<double>(utime) / ticks, static_cast<double>(stime) / ticks};
}

void load_report::print(std::ostream& out) const {
  out << std::fixed << std::setprecision(3);
  out << "logins " << logins << "\nfailures " << failures << "\ncrypto_busy " << crypto_busy
      << "\nseconds " << wall.count() << "\nlogins_per_s "
      << (wall.count() > 0 ? static_cast<double>(logins) / wall.count() : 0) << "\n";
  const struct {
    std::string_view name;
    std::chrono::nanoseconds login_timing::*step;
  } steps[] = {{"login", &login_timing::login},
               {"provider", &login_timing::provider},
               {finish_step, &login_timing::finish},
               {"first_request", &login_timing::first_request}};
  for (const auto& s : steps) {
    out << s.name << "_p50_ms " << percentile_ms(timings, s.step, 0.50) << "\n"
        << s.name << "_p99_ms " << percentile_ms(timings, s.step, 0.99) << "\n";
  }
  if (varco_cpu && logins > 0) {
    const double per_login = 1000 / static_cast<double>(logins);
    out << "varco_cpu_ms_per_login " << (varco_cpu->user + varco_cpu->system) * per_login
        << "\nvarco_user_ms_per_login " << varco_cpu->user * per_login
        << "\nvarco_system_ms_per_login " << varco_cpu->system * per_login << "\n";
  }
  if (failures > 0) out << "first_failure " << first_failure << "\n";
}

}  // namespace varco::bench
