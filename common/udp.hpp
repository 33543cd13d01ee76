#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

// One UDP request and the first reply that `accept` takes, from the host it was sent to (the socket
// is connected, so the system drops datagrams from anyone else). A datagram `accept` refuses
// (garbage, an answer to another request) does not end the wait: the exchange waits for a valid
// one until the timeout. Platform code in linux/ and windows/.
namespace drvaudit::udp {

struct Exchange {
  enum class Outcome { reply, timeout, unreachable } outcome = Outcome::timeout;
  std::vector<std::uint8_t> reply;
  std::string detail;  // why unreachable, in words
  // From just before the send to the reply, on the steady clock (a wall-clock step in between,
  // the very thing being measured, must not distort it).
  std::chrono::nanoseconds round_trip{0};
  std::size_t refused = 0;  // datagrams `accept` did not take
};

// Told each datagram and its round trip; true takes it as the reply.
using Accept = std::function<bool(std::span<const std::uint8_t> datagram, std::chrono::nanoseconds round_trip)>;

Exchange request(const std::string& host, std::uint16_t port, std::span<const std::uint8_t> request,
                 std::chrono::milliseconds timeout, const Accept& accept);

}  // namespace drvaudit::udp
