#include "tests/faults/store_load.hpp"

#include <cstdlib>
#include <memory>
#include <sstream>

namespace varco::faults {

std::uint64_t outcome_counts::count(unsigned status) const {
  const auto found = statuses.find(status);
  return found == statuses.end() ? 0 : found->second;
}

std::uint64_t outcome_counts::answered() const {
  std::uint64_t sum = 0;
  for (const auto& [status, n] : statuses) sum += n;
  return sum;
}

bool long_form() {
  const char* value = std::getenv("VARCO_FAULTS_LONG");
  return value != nullptr && std::string(value) == "1";
}

std::chrono::milliseconds load_phase() {
  return long_form() ? std::chrono::seconds(20) : std::chrono::seconds(3);
}

unsigned load_threads() { return long_form() ? 8 : 4; }

client_load::client_load(std::uint16_t port, unsigned threads, request_plan plan,
                         const std::atomic<int>& phase)
    : port_(port), plan_(std::move(plan)), phase_(phase) {
  for (unsigned t = 0; t < threads; ++t) threads_.emplace_back([this, t] { run(t); });
}

client_load::~client_load() { stop(); }

void client_load::stop() {
  running_ = false;
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
}

std::uint64_t client_load::answered() const { return answered_.load(); }

std::uint64_t client_load::answered(const std::string& label) const {
  std::lock_guard lock(mutex_);
  std::uint64_t sum = 0;
  for (const auto& [key, counts] : outcomes_)
    if (key.first == label) sum += counts.answered();
  return sum;
}

const std::map<std::pair<std::string, int>, outcome_counts>& client_load::outcomes() const {
  return outcomes_;
}

outcome_counts client_load::total(const std::string& label) const {
  std::lock_guard lock(mutex_);
  outcome_counts sum;
  for (const auto& [key, counts] : outcomes_) {
    if (key.first != label) continue;
    for (const auto& [status, n] : counts.statuses) sum.statuses[status] += n;
    for (const auto& [status, body] : counts.first_body) sum.first_body.emplace(status, body);
    sum.refused += counts.refused;
    sum.broken += counts.broken;
    sum.invalid += counts.invalid;
  }
  return sum;
}

std::string client_load::report() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  for (const auto& [key, counts] : outcomes_) {
    out << "  " << key.first << " (phase " << key.second << "):";
    for (const auto& [status, n] : counts.statuses) out << ' ' << status << "x" << n;
    if (counts.refused > 0) out << " refused x" << counts.refused;
    if (counts.broken > 0) out << " broken x" << counts.broken;
    if (counts.invalid > 0) out << " invalid x" << counts.invalid;
    out << '\n';
  }
  return out.str();
}

void client_load::record(const std::string& label, int sent_in, const test::http_response* response,
                         bool refused, bool invalid) {
  // Read after the answer arrived: with the phase read before sending, it brackets the moment
  // the server answered.
  const int now = phase_.load();
  std::lock_guard lock(mutex_);
  auto& counts = outcomes_[{label, now == sent_in ? now : straddling(now)}];
  if (response == nullptr) {
    ++(refused ? counts.refused : counts.broken);
    return;
  }
  ++counts.statuses[response->status];
  counts.first_body.emplace(response->status, response->body.substr(0, 2000));
  if (invalid) ++counts.invalid;
}

void client_load::run(unsigned thread) {
  std::unique_ptr<test::http_client> client;
  for (std::uint64_t n = 0; running_.load(); ++n) {
    const planned_request planned = plan_(thread, n);
    const int sent_in = phase_.load();
    if (!client) {
      try {
        client = std::make_unique<test::http_client>(port_);
      } catch (const std::exception&) {
        record(planned.label, sent_in, nullptr, true, false);
        // Nobody listens (a drained server): try again shortly rather than spin.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
    }
    try {
      const auto response = client->get(planned.target, planned.headers);
      answered_.fetch_add(1);
      record(planned.label, sent_in, &response, false, planned.valid && !planned.valid(response));
      if (!response.keep_alive) client.reset();
    } catch (const std::exception&) {
      record(planned.label, sent_in, nullptr, false, false);
      client.reset();
    }
  }
}

}  // namespace varco::faults
