#include "common/sntp.hpp"

#include <cmath>

#include "common/error.hpp"
#include "common/udp.hpp"

namespace drvaudit::sntp {

namespace {
// Seconds from 1900-01-01 (NTP era 0) to 1970-01-01.
constexpr std::int64_t kNtpToUnix = 2208988800LL;
constexpr std::int64_t kEraSeconds = 1LL << 32;

std::uint32_t be32(std::span<const std::uint8_t> b, std::size_t at) {
  return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 | std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}

void put32(std::uint8_t* out, std::uint32_t v) {
  out[0] = static_cast<std::uint8_t>(v >> 24);
  out[1] = static_cast<std::uint8_t>(v >> 16);
  out[2] = static_cast<std::uint8_t>(v >> 8);
  out[3] = static_cast<std::uint8_t>(v);
}

Timestamp timestamp_at(std::span<const std::uint8_t> b, std::size_t at) { return {be32(b, at), be32(b, at + 4)}; }

// Seconds (with fraction) between two NTP timestamps, era-aware through from_ntp.
double seconds_between(std::chrono::system_clock::time_point later, std::chrono::system_clock::time_point earlier) {
  return std::chrono::duration<double>(later - earlier).count();
}
}  // namespace

Timestamp to_ntp(std::chrono::system_clock::time_point t) {
  const auto since_unix = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  std::int64_t seconds = since_unix / 1'000'000'000;
  std::int64_t nanos = since_unix % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --seconds;
  }
  const auto ntp_seconds = static_cast<std::uint32_t>((seconds + kNtpToUnix) % kEraSeconds);
  const auto fraction = static_cast<std::uint32_t>((static_cast<std::uint64_t>(nanos) << 32) / 1'000'000'000ULL);
  return {ntp_seconds, fraction};
}

std::chrono::system_clock::time_point from_ntp(Timestamp t) {
  std::int64_t seconds = static_cast<std::int64_t>(t.seconds) - kNtpToUnix;
  if ((t.seconds & 0x80000000U) == 0) seconds += kEraSeconds;  // era 1: 2036-02-07 onwards
  const auto nanos = static_cast<std::int64_t>((static_cast<std::uint64_t>(t.fraction) * 1'000'000'000ULL) >> 32);
  return std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
      std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos)));
}

std::array<std::uint8_t, kPacketSize> make_request(Timestamp transmit) {
  std::array<std::uint8_t, kPacketSize> p{};
  p[0] = (0 << 6) | (4 << 3) | 3;  // LI 0, version 4, mode 3 (client)
  put32(p.data() + 40, transmit.seconds);
  put32(p.data() + 44, transmit.fraction);
  return p;
}

std::string Packet::kiss_code() const {
  std::string code;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const auto c = static_cast<char>((reference_id >> shift) & 0xFF);
    if (c == 0) break;
    code += (c >= 0x20 && c < 0x7F) ? c : '?';
  }
  return code;
}

Packet parse_packet(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kPacketSize)
    throw ParseError("an NTP packet has 48 bytes; this one has " + std::to_string(bytes.size()));
  Packet p;
  p.leap = bytes[0] >> 6;
  p.version = (bytes[0] >> 3) & 7;
  p.mode = bytes[0] & 7;
  p.stratum = bytes[1];
  p.reference_id = be32(bytes, 12);
  p.originate = timestamp_at(bytes, 24);
  p.receive = timestamp_at(bytes, 32);
  p.transmit = timestamp_at(bytes, 40);
  return p;
}

std::string_view status_name(Status s) {
  switch (s) {
    case Status::ok: return "ok";
    case Status::timeout: return "timeout";
    case Status::unreachable: return "unreachable";
    case Status::kiss_of_death: return "kiss-of-death";
    case Status::bad_reply: return "bad-reply";
    case Status::unsynchronized: return "unsynchronized";
  }
  return "unknown";
}

Measurement evaluate_reply(std::span<const std::uint8_t> bytes, Timestamp request_transmit,
                           std::chrono::system_clock::time_point t1, std::chrono::system_clock::time_point t4) {
  Measurement m;
  Packet p;
  try {
    p = parse_packet(bytes);
  } catch (const ParseError& e) {
    m.status = Status::bad_reply;
    m.detail = std::string("truncated reply: ") + e.what();
    return m;
  }
  m.stratum = p.stratum;
  // RFC 4330 §5 and RFC 5905 §8: first whether the datagram answers this request at all (else it
  // is garbage and the client keeps waiting), then what the server says.
  if (p.mode != 4) {
    m.status = Status::bad_reply;
    m.detail = "reply has mode " + std::to_string(p.mode) + ", not 4 (server)";
    return m;
  }
  if (p.version < 1 || p.version > 4) {
    m.status = Status::bad_reply;
    m.detail = "reply has NTP version " + std::to_string(p.version) + " (1 to 4 are known)";
    return m;
  }
  if (p.originate != request_transmit) {
    m.status = Status::bad_reply;
    m.detail = "reply does not answer this request (its originate timestamp is not ours)";
    return m;
  }
  if (p.stratum == 0) {
    m.status = Status::kiss_of_death;
    const auto code = p.kiss_code();
    m.detail = "the server sent kiss-of-death " + (code.empty() ? std::string("(no code)") : "'" + code + "'") +
               (code == "DENY" || code == "RSTR" ? ": it refuses this client"
                : code == "RATE"                 ? ": asked too often, wait before trying again"
                                                 : "");
    return m;
  }
  if (p.transmit == Timestamp{}) {
    m.status = Status::bad_reply;
    m.detail = "reply has no transmit timestamp";
    return m;
  }
  if (p.receive == Timestamp{}) {
    m.status = Status::bad_reply;
    m.detail = "reply has no receive timestamp";
    return m;
  }
  if (p.leap == 3) {
    m.status = Status::unsynchronized;
    m.detail = "the server says its own clock is not synchronized (leap indicator 3)";
    return m;
  }
  if (p.stratum == 16) {
    m.status = Status::unsynchronized;
    m.detail = "the server says its own clock is not synchronized (stratum 16)";
    return m;
  }
  if (p.stratum > 16) {
    m.status = Status::bad_reply;
    m.detail = "reply has stratum " + std::to_string(p.stratum) + " (1 to 15 are valid, 16 unsynchronized)";
    return m;
  }
  const auto t2 = from_ntp(p.receive);
  const auto t3 = from_ntp(p.transmit);
  m.offset_seconds = (seconds_between(t2, t1) + seconds_between(t3, t4)) / 2;
  m.delay_seconds = seconds_between(t4, t1) - seconds_between(t3, t2);
  if (!std::isfinite(m.offset_seconds) || !std::isfinite(m.delay_seconds)) {
    m.status = Status::bad_reply;
    m.detail = "reply timestamps give no finite offset";
    return m;
  }
  m.status = Status::ok;
  return m;
}

std::pair<std::string, std::uint16_t> parse_server(const std::string& text) {
  std::string host = text;
  std::string port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string::npos) throw UsageError("NTP server '" + text + "': no ']' after the IPv6 address");
    if (close + 1 < host.size()) {
      if (host[close + 1] != ':') throw UsageError("NTP server '" + text + "': expected ':PORT' after ']'");
      port = host.substr(close + 2);
    }
    host = host.substr(1, close - 1);
  } else if (const auto colon = host.find(':');
             colon != std::string::npos && host.find(':', colon + 1) == std::string::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) throw UsageError("NTP server '" + text + "': no host");
  std::uint16_t number = kDefaultPort;
  if (!port.empty()) {
    unsigned long value = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || value > 65535) throw UsageError("NTP server '" + text + "': bad port '" + port + "'");
      value = value * 10 + static_cast<unsigned long>(c - '0');
    }
    if (value == 0 || value > 65535) throw UsageError("NTP server '" + text + "': bad port '" + port + "'");
    number = static_cast<std::uint16_t>(value);
  }
  return {host, number};
}

Measurement query(const std::string& server, std::chrono::milliseconds timeout) {
  const auto [host, port] = parse_server(server);
  const auto t1 = std::chrono::system_clock::now();
  const auto transmit = to_ntp(t1);
  const auto request = make_request(transmit);
  Measurement m, refused;
  // A reply that is not a valid answer to this request (garbage, a stray or forged datagram) does
  // not end the wait: the first valid one within the timeout is the measurement.
  const auto exchange =
      udp::request(host, port, request, timeout, [&](std::span<const std::uint8_t> datagram, auto round_trip) {
        auto e = evaluate_reply(datagram, transmit, t1,
                                t1 + std::chrono::duration_cast<std::chrono::system_clock::duration>(round_trip));
        if (e.status == Status::bad_reply) {
          refused = std::move(e);
          return false;
        }
        m = std::move(e);
        return true;
      });
  switch (exchange.outcome) {
    case udp::Exchange::Outcome::timeout:
      if (exchange.refused > 0) {
        m = refused;
        m.detail = "no valid reply within " + std::to_string(timeout.count()) + " ms (" +
                   std::to_string(exchange.refused) + " refused; the last: " + refused.detail + ")";
      } else {
        m.status = Status::timeout;
        m.detail = "no reply within " + std::to_string(timeout.count()) + " ms";
      }
      break;
    case udp::Exchange::Outcome::unreachable:
      m.status = Status::unreachable;
      m.detail = exchange.detail;
      break;
    case udp::Exchange::Outcome::reply: break;  // m is the accepted reply's measurement
  }
  m.server = host + ":" + std::to_string(port);
  return m;
}

}  // namespace drvaudit::sntp
