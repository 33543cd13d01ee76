#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "common/udp.hpp"

namespace drvaudit::udp {

namespace {
struct AddrInfoFree {
  void operator()(addrinfo* a) const { ::freeaddrinfo(a); }
};
struct SocketCloser {
  int fd = -1;
  ~SocketCloser() {
    if (fd >= 0) ::close(fd);
  }
};
}  // namespace

Exchange request(const std::string& host, std::uint16_t port, std::span<const std::uint8_t> bytes,
                 std::chrono::milliseconds timeout, const Accept& accept) {
  Exchange result;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    result.outcome = Exchange::Outcome::unreachable;
    result.detail = "cannot resolve " + host + ": " + ::gai_strerror(rc);
    return result;
  }
  const std::unique_ptr<addrinfo, AddrInfoFree> addresses(found);
  SocketCloser socket;
  for (const addrinfo* a = found; a; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    // Connected: the kernel delivers only the server's datagrams and reports its ICMP refusals.
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
      socket.fd = fd;
      break;
    }
    ::close(fd);
  }
  if (socket.fd < 0) {
    result.outcome = Exchange::Outcome::unreachable;
    result.detail = "cannot reach " + host + ": " + std::strerror(errno);
    return result;
  }
  const auto start = std::chrono::steady_clock::now();
  if (::send(socket.fd, bytes.data(), bytes.size(), 0) < 0) {
    result.outcome = Exchange::Outcome::unreachable;
    result.detail = "cannot send to " + host + ": " + std::strerror(errno);
    return result;
  }
  const auto deadline = start + timeout;
  std::uint8_t buffer[1024];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return result;  // timeout
    pollfd p{socket.fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return result;
    const auto got = ::recv(socket.fd, buffer, sizeof buffer, 0);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      result.outcome = Exchange::Outcome::unreachable;
      result.detail = std::string("refused: ") + std::strerror(errno);
      return result;
    }
    const std::chrono::nanoseconds round_trip = std::chrono::steady_clock::now() - start;
    if (!accept(std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(got)), round_trip)) {
      ++result.refused;
      continue;
    }
    result.round_trip = round_trip;
    result.outcome = Exchange::Outcome::reply;
    result.reply.assign(buffer, buffer + got);
    return result;
  }
}

}  // namespace drvaudit::udp
