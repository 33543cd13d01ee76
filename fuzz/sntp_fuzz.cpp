// libFuzzer target: any bytes as an SNTP reply to a known request. It must come back as a verdict
// (never a crash or a throw), and "ok" only with finite numbers and a reply that echoes our request.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "common/sntp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace drvaudit;
  const auto t1 = std::chrono::system_clock::time_point(std::chrono::seconds(1'796'000'000));
  const sntp::Timestamp ours = sntp::to_ntp(t1);
  const auto m = sntp::evaluate_reply(std::span(data, size), ours, t1, t1 + std::chrono::milliseconds(30));
  if (m.status == sntp::Status::ok) {
    if (!std::isfinite(m.offset_seconds) || !std::isfinite(m.delay_seconds) || size < 48) std::abort();
    if (sntp::parse_packet(std::span(data, size)).originate != ours) std::abort();
  } else if (m.detail.empty()) {
    std::abort();  // every refusal says why
  }
  return 0;
}
