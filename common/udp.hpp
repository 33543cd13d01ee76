#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

// One UDP request and its first reply, from the host it was sent to (the socket is connected, so
// the system drops datagrams from anyone else). Platform code in linux/ and windows/.
namespace drvaudit::udp {

struct Exchange {
  enum class Outcome { reply, timeout, unreachable } outcome = Outcome::timeout;
  std::vector<std::uint8_t> reply;
  std::string detail;  // why unreachable, in words
  // From just before the send to the reply, on the steady clock (a wall-clock step in between,
  // the very thing being measured, must not distort it).
  std::chrono::nanoseconds round_trip{0};
};

Exchange request(const std::string& host, std::uint16_t port, std::span<const std::uint8_t> request,
                 std::chrono::milliseconds timeout);

}  // namespace drvaudit::udp
