#include <winsock2.h>
#include <ws2tcpip.h>

#include <memory>

#include "common/udp.hpp"

namespace drvaudit::udp {

namespace {
struct WinsockSession {
  bool ok = false;
  WinsockSession() {
    WSADATA data;
    ok = ::WSAStartup(MAKEWORD(2, 2), &data) == 0;
  }
  ~WinsockSession() {
    if (ok) ::WSACleanup();
  }
};
struct AddrInfoFree {
  void operator()(addrinfo* a) const { ::freeaddrinfo(a); }
};
struct SocketCloser {
  SOCKET s = INVALID_SOCKET;
  ~SocketCloser() {
    if (s != INVALID_SOCKET) ::closesocket(s);
  }
};
std::string wsa_text(int code) { return "Winsock error " + std::to_string(code); }
}  // namespace

Exchange request(const std::string& host, std::uint16_t port, std::span<const std::uint8_t> bytes,
                 std::chrono::milliseconds timeout, const Accept& accept) {
  Exchange result;
  const WinsockSession session;
  if (!session.ok) {
    result.outcome = Exchange::Outcome::unreachable;
    result.detail = "Winsock did not start";
    return result;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    result.outcome = Exchange::Outcome::unreachable;
    result.detail = "cannot resolve " + host + ": " + wsa_text(rc);
    return result;
  }
  const std::unique_ptr<addrinfo, AddrInfoFree> addresses(found);
  SocketCloser socket;
  for (const addrinfo* a = found; a; a = a->ai_next) {
    const SOCKET s = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (s == INVALID_SOCKET) continue;
    if (::connect(s, a->ai_addr, static_cast<int>(a->ai_addrlen)) == 0) {
      socket.s = s;
      break;
    }
    ::closesocket(s);
  }
  if (socket.s == INVALID_SOCKET) {
    result.outcome = Exchange::Outcome::unreachable;
    result.detail = "cannot reach " + host + ": " + wsa_text(::WSAGetLastError());
    return result;
  }
  const auto start = std::chrono::steady_clock::now();
  if (::send(socket.s, reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size()), 0) ==
      SOCKET_ERROR) {
    result.outcome = Exchange::Outcome::unreachable;
    result.detail = "cannot send to " + host + ": " + wsa_text(::WSAGetLastError());
    return result;
  }
  const auto deadline = start + timeout;
  char buffer[1024];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return result;
    fd_set read_set;
    FD_ZERO(&read_set);
    FD_SET(socket.s, &read_set);
    timeval wait{static_cast<long>(left.count() / 1000), static_cast<long>((left.count() % 1000) * 1000)};
    const int ready = ::select(0, &read_set, nullptr, nullptr, &wait);
    if (ready <= 0) return result;
    const int got = ::recv(socket.s, buffer, sizeof buffer, 0);
    if (got == SOCKET_ERROR) {
      const int error = ::WSAGetLastError();
      if (error == WSAEMSGSIZE) continue;  // larger than any NTP reply: not the server's answer
      result.outcome = Exchange::Outcome::unreachable;
      result.detail = "refused: " + wsa_text(error);
      return result;
    }
    const std::chrono::nanoseconds round_trip = std::chrono::steady_clock::now() - start;
    const auto* first = reinterpret_cast<const std::uint8_t*>(buffer);
    if (!accept(std::span<const std::uint8_t>(first, static_cast<std::size_t>(got)), round_trip)) {
      ++result.refused;
      continue;
    }
    result.round_trip = round_trip;
    result.outcome = Exchange::Outcome::reply;
    result.reply.assign(first, first + got);
    return result;
  }
}

}  // namespace drvaudit::udp
