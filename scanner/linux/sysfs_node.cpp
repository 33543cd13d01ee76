#include "scanner/linux/sysfs_node.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "common/text.hpp"

namespace drvaudit::sysfs {

namespace fs = std::filesystem;

Node::Node(fs::path root, fs::path dir) : root_(std::move(root)), dir_(std::move(dir)) {}

std::string Node::relative_path() const { return "/" + dir_.lexically_relative(root_).generic_string(); }

std::optional<std::string> Node::binary_attr(const std::string& name, std::size_t max_bytes) const {
  std::ifstream in(dir_ / name, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data(max_bytes, '\0');
  in.read(data.data(), static_cast<std::streamsize>(max_bytes));
  if (in.bad()) return std::nullopt;
  data.resize(static_cast<std::size_t>(in.gcount()));
  return data;
}

std::optional<std::string> Node::binary_range(const std::string& name, std::size_t offset, std::size_t length) const {
  const int fd = ::open((dir_ / name).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string data(length, '\0');
  const ssize_t n = ::pread(fd, data.data(), length, static_cast<off_t>(offset));
  ::close(fd);
  if (n < 0) return std::nullopt;
  data.resize(static_cast<std::size_t>(n));
  return data;
}

std::optional<std::string> Node::attr(const std::string& name) const {
  auto data = binary_attr(name, 16384);
  if (!data) return std::nullopt;
  const auto end = data->find_last_not_of(" \t\r\n");
  data->resize(end == std::string::npos ? 0 : end + 1);
  return text::sanitize_utf8(*data);
}

std::optional<std::uint32_t> Node::hex_attr(const std::string& name, std::uint32_t max) const {
  auto value = attr(name);
  if (!value) return std::nullopt;
  return text::parse_hex(*value, max);
}

std::optional<std::string> Node::link_target(const std::string& name) const {
  const fs::path p = dir_ / name;
  std::error_code ec;
  if (fs::is_symlink(p, ec)) {
    auto target = fs::read_symlink(p, ec);
    if (ec) return std::nullopt;
    return target.generic_string();
  }
  // A recorded link is a small file whose text is a relative path.
  if (fs::is_regular_file(p, ec)) {
    auto text_value = attr(name);
    if (text_value && !text_value->empty() && text_value->find('/') != std::string::npos &&
        text_value->find('\n') == std::string::npos) {
      return text_value;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Node::link_basename(const std::string& name) const {
  auto target = link_target(name);
  if (!target) return std::nullopt;
  while (!target->empty() && target->back() == '/') target->pop_back();
  const auto slash = target->rfind('/');
  return slash == std::string::npos ? *target : target->substr(slash + 1);
}

const std::map<std::string, std::string>& Node::uevent() const {
  if (!uevent_) {
    uevent_.emplace();
    if (auto content = attr("uevent")) {
      for (auto line : text::split(*content, '\n')) {
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        (*uevent_)[std::string(line.substr(0, eq))] = std::string(text::trim(line.substr(eq + 1)));
      }
    }
  }
  return *uevent_;
}

std::optional<std::string> Node::uevent_value(const std::string& key) const {
  const auto& values = uevent();
  if (auto it = values.find(key); it != values.end()) return it->second;
  return std::nullopt;
}

}  // namespace drvaudit::sysfs
