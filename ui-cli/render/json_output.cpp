#include "ui-cli/render/json_output.hpp"

#include <utility>
#include <vector>

#include "common/text.hpp"

namespace drvaudit::render {

namespace {
void make_valid(nlohmann::ordered_json& value) {
  if (value.is_string()) {
    auto& s = value.get_ref<std::string&>();
    if (!text::is_valid_utf8(s)) s = text::sanitize_utf8(s);
  } else if (value.is_array()) {
    for (auto& element : value) make_valid(element);
  } else if (value.is_object()) {
    std::vector<std::pair<std::string, std::string>> exact;  // added after the walk: no insertion while iterating
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it.value().is_string() && !text::is_valid_utf8(it.value().get_ref<const std::string&>())) {
        exact.emplace_back(it.key() + "_hex", text::hex_bytes(it.value().get_ref<const std::string&>()));
      }
      make_valid(it.value());
    }
    for (auto& [key, hex] : exact) value[key] = std::move(hex);
  }
}
}  // namespace

std::string json_text(nlohmann::ordered_json document, JsonLayout layout) {
  make_valid(document);
  return document.dump(layout == JsonLayout::indented ? 2 : -1) + "\n";
}

}  // namespace drvaudit::render
