// audit_writer: group commit from many threads keeps one valid chain with fewer fdatasyncs than
// records; an I/O error fails its whole batch and the next append recovers; a full queue refuses;
// destruction writes what is queued; the asio form completes on the caller's executor.
#include "saml/audit/audit_writer.hpp"

#include "audit_fixture.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>

#include <csignal>
#include <future>
#include <optional>
#include <set>
#include <sys/resource.h>
#include <thread>

namespace varco::saml::audit::test {
namespace {

class audit_writer_test : public audit_test {
 protected:
  // Appends through the writer and waits on this thread for the result.
  static append_result append_and_wait(audit_writer& writer, const boost::json::object& fields) {
    std::promise<append_result> promise;
    auto result = promise.get_future();
    writer.enqueue("authn", fields,
                   [&promise](append_result r) { promise.set_value(std::move(r)); });
    return result.get();
  }
};

TEST_F(audit_writer_test, concurrent_appends_share_fdatasyncs_and_keep_one_valid_chain) {
  auto log = open_log();
  ASSERT_TRUE(log);
  audit_writer writer(std::move(log), {});
  constexpr int threads = 4;
  constexpr int per_thread = 50;
  std::vector<std::future<append_result>> results;
  std::mutex results_mutex;
  std::vector<std::thread> appenders;
  appenders.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    appenders.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        auto promise = std::make_shared<std::promise<append_result>>();
        {
          const std::lock_guard lock(results_mutex);
          results.push_back(promise->get_future());
        }
        writer.enqueue("authn", to_fields(sample_login(t * per_thread + i)),
                       [promise](append_result r) { promise->set_value(std::move(r)); });
      }
    });
  }
  for (auto& appender : appenders) appender.join();
  std::set<std::uint64_t> seqs;
  for (auto& result : results) {
    auto written = result.get();
    ASSERT_TRUE(written) << written.error().message();
    seqs.insert(written->seq);
  }
  EXPECT_EQ(seqs.size(), std::size_t{threads * per_thread});  // each its own record
  EXPECT_LT(writer.log().data_syncs(), std::uint64_t{threads * per_thread});
  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.records, std::uint64_t{threads * per_thread + 1});  // + the segment record
}

TEST_F(audit_writer_test, a_full_queue_refuses_at_once_and_the_queued_ones_are_written) {
  auto log = open_log();
  ASSERT_TRUE(log);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> batches{0};
  audit_writer::options settings;
  settings.queue_limit = 2;
  // The writer waits before its first batch, so the queue fills.
  settings.before_batch = [&] {
    if (batches++ == 0) released.wait();
  };
  auto writer = std::make_unique<audit_writer>(std::move(log), settings);
  std::vector<std::future<append_result>> queued;
  for (int i = 0; i < 2; ++i) {
    auto promise = std::make_shared<std::promise<append_result>>();
    queued.push_back(promise->get_future());
    writer->enqueue("authn", to_fields(sample_login(i)),
                    [promise](append_result r) { promise->set_value(std::move(r)); });
  }
  std::optional<append_result> refused;
  writer->enqueue("authn", to_fields(sample_login(9)),
                  [&](const append_result& r) { refused = r; });
  ASSERT_TRUE(refused);  // inline: it never waited
  ASSERT_FALSE(*refused);
  EXPECT_EQ(refused->error(), audit_errc::queue_full);

  release.set_value();
  writer.reset();  // destruction writes what was queued, then joins
  for (auto& result : queued) {
    auto written = result.get();
    EXPECT_TRUE(written) << written.error().message();
  }
  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.records, 3u);
}

// RLIMIT_FSIZE stops a write part-way (EFBIG), as a full disk would (as in audit_log_test).
TEST_F(audit_writer_test, an_io_error_fails_every_append_of_its_batch_and_the_next_one_recovers) {
  auto log = open_log();
  ASSERT_TRUE(log);
  ASSERT_TRUE(append(*log, sample_login(1)));
  const auto size = fs::file_size(segment("audit-2026-11.jsonl"));

  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> batches{0};
  audit_writer::options settings;
  settings.before_batch = [&] {
    if (batches++ == 0) released.wait();
  };
  audit_writer writer(std::move(log), settings);
  std::vector<std::future<append_result>> batch;
  for (int i = 0; i < 3; ++i) {
    auto promise = std::make_shared<std::promise<append_result>>();
    batch.push_back(promise->get_future());
    writer.enqueue("authn", to_fields(sample_login(10 + i)),
                   [promise](append_result r) { promise->set_value(std::move(r)); });
  }

  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit old_limit{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  rlimit low = old_limit;
  low.rlim_cur = size + 100;  // the first line of the batch does not fit
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &low), 0);
  release.set_value();
  std::vector<append_result> results;
  results.reserve(batch.size());
  for (auto& result : batch) results.push_back(result.get());
  setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);

  for (const auto& result : results) {
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), audit_errc::torn_write);
  }
  const auto next = append_and_wait(writer, to_fields(sample_login(20)));
  ASSERT_TRUE(next) << next.error().message();
  EXPECT_EQ(next->file, "audit-2026-11.1.jsonl");
  EXPECT_EQ(next->seq, 4u);  // 3 is the recovery record
  const auto report = verify_audit(dir.path());
  EXPECT_TRUE(report.ok) << report.first_error;
  EXPECT_EQ(report.records, 4u);
}

TEST_F(audit_writer_test, async_append_completes_on_the_callers_executor) {
  auto log = open_log();
  ASSERT_TRUE(log);
  audit_writer writer(std::move(log), {});
  boost::asio::io_context io;
  std::optional<append_result> result;
  std::thread::id completed_on;
  writer.async_append("authn", to_fields(sample_login(1)),
                      boost::asio::bind_executor(io, [&](append_result r) {
                        result = std::move(r);
                        completed_on = std::this_thread::get_id();
                      }));
  EXPECT_FALSE(result);  // never inline
  // The pending append keeps the io_context's work count up: run() returns once it completed.
  io.run();
  ASSERT_TRUE(result);
  EXPECT_TRUE(*result) << result->error().message();
  EXPECT_EQ(completed_on, std::this_thread::get_id());
}

TEST_F(audit_writer_test, destruction_writes_every_queued_append_then_joins) {
  std::vector<std::future<append_result>> queued;
  {
    auto log = open_log();
    ASSERT_TRUE(log);
    audit_writer writer(std::move(log), {});
    for (int i = 0; i < 20; ++i) {
      auto promise = std::make_shared<std::promise<append_result>>();
      queued.push_back(promise->get_future());
      writer.enqueue("authn", to_fields(sample_login(i)),
                     [promise](append_result r) { promise->set_value(std::move(r)); });
    }
  }
  for (auto& result : queued) {
    ASSERT_EQ(result.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    EXPECT_TRUE(result.get());
  }
  EXPECT_TRUE(verify_audit(dir.path()).ok);
}

}  // namespace
}  // namespace varco::saml::audit::test
