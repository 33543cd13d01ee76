#include <catch2/catch.hpp>

#include <chrono>

#include "common/error.hpp"
#include "common/sntp.hpp"

// The SNTP packet code (RFC 4330) without a network: the network half is tested against a real
// chronyd and a fault server in tests/tools/sntp_test.py.
namespace {
using namespace drvaudit;
using namespace std::chrono;

std::array<std::uint8_t, 48> reply_to(sntp::Timestamp originate, system_clock::time_point receive,
                                      system_clock::time_point transmit, int leap = 0, int version = 4, int mode = 4,
                                      int stratum = 2) {
  std::array<std::uint8_t, 48> p{};
  p[0] = static_cast<std::uint8_t>(leap << 6 | version << 3 | mode);
  p[1] = static_cast<std::uint8_t>(stratum);
  const auto put = [&](std::size_t at, sntp::Timestamp t) {
    for (int i = 0; i < 4; ++i) p[at + i] = static_cast<std::uint8_t>(t.seconds >> (24 - 8 * i));
    for (int i = 0; i < 4; ++i) p[at + 4 + i] = static_cast<std::uint8_t>(t.fraction >> (24 - 8 * i));
  };
  put(24, originate);
  put(32, sntp::to_ntp(receive));
  put(40, sntp::to_ntp(transmit));
  return p;
}
}  // namespace

TEST_CASE("NTP timestamps round-trip through both eras", "[sntp]") {
  const auto now = system_clock::time_point(seconds(1'796'000'000) + milliseconds(250));  // 2026-11
  const auto back = sntp::from_ntp(sntp::to_ntp(now));
  CHECK(std::abs(duration<double>(back - now).count()) < 1e-6);
  CHECK(sntp::to_ntp(now).seconds >= 0x80000000U);                      // era 0 until 2036
  const auto later = system_clock::time_point(seconds(2'100'000'000));  // 2036-07: era 1
  CHECK(sntp::to_ntp(later).seconds < 0x80000000U);
  CHECK(std::abs(duration<double>(sntp::from_ntp(sntp::to_ntp(later)) - later).count()) < 1e-6);
  CHECK(sntp::to_ntp(system_clock::time_point(seconds(0))).seconds == 2208988800U);
}

TEST_CASE("a client request is version 4, mode 3, with our transmit timestamp", "[sntp]") {
  const auto r = sntp::make_request({0xE1234567, 0x89ABCDEF});
  CHECK(r[0] == 0x23);
  CHECK(r[40] == 0xE1);
  CHECK(r[47] == 0xEF);
  const auto p = sntp::parse_packet(r);
  CHECK(p.mode == 3);
  CHECK(p.version == 4);
  CHECK(p.transmit == sntp::Timestamp{0xE1234567, 0x89ABCDEF});
}

TEST_CASE("offset and delay come from the four timestamps", "[sntp]") {
  const auto t1 = system_clock::now();
  const auto ours = sntp::to_ntp(t1);
  // The server is 3600 s ahead; 20 ms each way; it held the request 1 ms.
  const auto t2 = t1 + seconds(3600) + milliseconds(20);
  const auto t3 = t2 + milliseconds(1);
  const auto t4 = t1 + milliseconds(41);
  const auto m = sntp::evaluate_reply(reply_to(ours, t2, t3), ours, t1, t4);
  REQUIRE(m.status == sntp::Status::ok);
  CHECK(m.offset_seconds == Approx(3600.0).margin(1e-3));
  CHECK(m.delay_seconds == Approx(0.040).margin(1e-3));
  CHECK(m.stratum == 2);
}

TEST_CASE("replies that fail RFC 4330's checks are not measurements", "[sntp]") {
  const auto t1 = system_clock::now();
  const auto ours = sntp::to_ntp(t1);
  const auto t4 = t1 + milliseconds(10);
  SECTION("wrong mode") {
    const auto m = sntp::evaluate_reply(reply_to(ours, t1, t1, 0, 4, 3), ours, t1, t4);
    CHECK(m.status == sntp::Status::bad_reply);
    CHECK(m.detail.find("mode 3") != std::string::npos);
  }
  SECTION("unknown version") {
    const auto m = sntp::evaluate_reply(reply_to(ours, t1, t1, 0, 7), ours, t1, t4);
    CHECK(m.status == sntp::Status::bad_reply);
    CHECK(m.detail.find("version 7") != std::string::npos);
  }
  SECTION("kiss-of-death names its code") {
    auto p = reply_to(ours, t1, t1, 0, 4, 4, 0);
    p[12] = 'R', p[13] = 'A', p[14] = 'T', p[15] = 'E';
    const auto m = sntp::evaluate_reply(p, ours, t1, t4);
    CHECK(m.status == sntp::Status::kiss_of_death);
    CHECK(m.detail.find("'RATE'") != std::string::npos);
  }
  SECTION("a reply to somebody else's request") {
    const auto m = sntp::evaluate_reply(reply_to({1, 2}, t1, t1), ours, t1, t4);
    CHECK(m.status == sntp::Status::bad_reply);
    CHECK(m.detail.find("originate") != std::string::npos);
  }
  SECTION("an unsynchronized server") {
    const auto m = sntp::evaluate_reply(reply_to(ours, t1, t1, 3), ours, t1, t4);
    CHECK(m.status == sntp::Status::unsynchronized);
  }
  SECTION("a truncated packet") {
    const auto p = reply_to(ours, t1, t1);
    const auto m = sntp::evaluate_reply(std::span(p.data(), 20), ours, t1, t4);
    CHECK(m.status == sntp::Status::bad_reply);
    CHECK(m.detail.find("20") != std::string::npos);
  }
  SECTION("stratum 16 is an unsynchronized server, 17 to 255 are not valid (RFC 5905)") {
    CHECK(sntp::evaluate_reply(reply_to(ours, t1, t1, 0, 4, 4, 16), ours, t1, t4).status ==
          sntp::Status::unsynchronized);
    CHECK(sntp::evaluate_reply(reply_to(ours, t1, t1, 0, 4, 4, 255), ours, t1, t4).status == sntp::Status::bad_reply);
    CHECK(sntp::evaluate_reply(reply_to(ours, t1, t1, 0, 4, 4, 15), ours, t1, t4).status == sntp::Status::ok);
  }
  SECTION("no receive timestamp is no offset, not 144 million seconds of one") {
    auto p = reply_to(ours, t1, t1);
    std::fill(p.begin() + 32, p.begin() + 40, 0);
    const auto m = sntp::evaluate_reply(p, ours, t1, t4);
    CHECK(m.status == sntp::Status::bad_reply);
    CHECK(m.detail.find("receive") != std::string::npos);
  }
  SECTION("a kiss-of-death that answers somebody else's request is garbage") {
    const auto m = sntp::evaluate_reply(reply_to({1, 2}, t1, t1, 0, 4, 4, 0), ours, t1, t4);
    CHECK(m.status == sntp::Status::bad_reply);
  }
  SECTION("no transmit timestamp") {
    auto p = reply_to(ours, t1, t1);
    std::fill(p.begin() + 40, p.end(), 0);
    CHECK(sntp::evaluate_reply(p, ours, t1, t4).status == sntp::Status::bad_reply);
  }
}

TEST_CASE("NTP server names: host, host:port, [v6]:port", "[sntp]") {
  CHECK(sntp::parse_server("time.windows.com") == std::pair<std::string, std::uint16_t>{"time.windows.com", 123});
  CHECK(sntp::parse_server("127.0.0.1:11123") == std::pair<std::string, std::uint16_t>{"127.0.0.1", 11123});
  CHECK(sntp::parse_server("[::1]:5000") == std::pair<std::string, std::uint16_t>{"::1", 5000});
  CHECK(sntp::parse_server("::1") == std::pair<std::string, std::uint16_t>{"::1", 123});
  CHECK_THROWS_AS(sntp::parse_server(""), UsageError);
  CHECK_THROWS_AS(sntp::parse_server("host:0"), UsageError);
  CHECK_THROWS_AS(sntp::parse_server("host:70000"), UsageError);
  CHECK_THROWS_AS(sntp::parse_server("host:12a"), UsageError);
  CHECK_THROWS_AS(sntp::parse_server(":123"), UsageError);
}

TEST_CASE("a server that does not answer times out on time", "[sntp]") {
  // A closed port on loopback: refused (ICMP) or, where ICMP is filtered, a timeout; never a hang.
  const auto start = steady_clock::now();
  const auto m = sntp::query("127.0.0.1:9", milliseconds(300));
  CHECK((m.status == sntp::Status::unreachable || m.status == sntp::Status::timeout));
  CHECK(steady_clock::now() - start < seconds(3));
}
