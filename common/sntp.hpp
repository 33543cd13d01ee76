#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

// A Simple Network Time Protocol client (RFC 4330): one request, one reply, the clock's offset.
// The packet code is pure (fuzzed); the exchange goes through common/udp.hpp.
namespace drvaudit::sntp {

inline constexpr std::size_t kPacketSize = 48;
inline constexpr std::uint16_t kDefaultPort = 123;

// An NTP timestamp: seconds since 1900-01-01 and a 32-bit binary fraction.
struct Timestamp {
  std::uint32_t seconds = 0;
  std::uint32_t fraction = 0;
  bool operator==(const Timestamp&) const = default;
};

Timestamp to_ntp(std::chrono::system_clock::time_point t);
// RFC 4330 §3: a timestamp whose top bit is clear is in era 1 (from 2036-02-07).
std::chrono::system_clock::time_point from_ntp(Timestamp t);

// A client request (version 4, mode 3) whose transmit timestamp is `transmit`: the reply must
// echo it as its originate timestamp, which is how a forged or stale reply is told apart.
std::array<std::uint8_t, kPacketSize> make_request(Timestamp transmit);

struct Packet {
  int leap = 0;  // 3: the server's clock is not synchronized
  int version = 0;
  int mode = 0;
  int stratum = 0;
  std::uint32_t reference_id = 0;
  Timestamp originate, receive, transmit;
  // Stratum 0 replies are kiss-of-death: the reference id is four ASCII letters (DENY, RSTR, RATE).
  std::string kiss_code() const;
};

// Throws ParseError for anything shorter than 48 bytes. Longer packets (extension fields, a MAC)
// are accepted: only the header is read.
Packet parse_packet(std::span<const std::uint8_t> bytes);

enum class Status {
  ok,             // a valid reply: offset and delay are measured
  timeout,        // no reply in time
  unreachable,    // the name did not resolve, or the host/port refused (ICMP)
  kiss_of_death,  // the server said to go away (stratum 0)
  bad_reply,      // a reply that fails RFC 4330's checks (mode, version, originate, zero transmit, size)
  unsynchronized  // the server answered but says its own clock is not synchronized
};
std::string_view status_name(Status s);

struct Measurement {
  Status status = Status::timeout;
  std::string server;         // host:port as asked
  std::string detail;         // why, in words, for anything but ok
  double offset_seconds = 0;  // server time minus local time: positive means this clock is behind
  double delay_seconds = 0;   // round trip
  int stratum = 0;
};

// Checks a reply against the request it answers and computes offset and delay from the four
// timestamps (t1 sent, t4 received, local clock; t2, t3 in the packet).
Measurement evaluate_reply(std::span<const std::uint8_t> bytes, Timestamp request_transmit,
                           std::chrono::system_clock::time_point t1, std::chrono::system_clock::time_point t4);

// "host", "host:port", "[v6]:port". Throws UsageError for an empty host or a bad port.
std::pair<std::string, std::uint16_t> parse_server(const std::string& text);

// One exchange with the server; never blocks longer than `timeout`.
Measurement query(const std::string& server, std::chrono::milliseconds timeout);

}  // namespace drvaudit::sntp
