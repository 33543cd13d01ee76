#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "common/package_path.hpp"

// The one path rule for everything a package names (docs/security.md): each refusal with the words
// that say why, and the normalised form of what is accepted.
namespace pp = drvaudit::package_path;

namespace {
std::string refusal(const std::string& name) {
  try {
    pp::checked(name, "entry");
  } catch (const drvaudit::Error& e) {
    return e.what();
  }
  return "accepted";
}
}  // namespace

TEST_CASE("package paths: plain relative names are accepted and normalised") {
  CHECK(pp::checked("driver.sys", "entry") == "driver.sys");
  CHECK(pp::checked("x64\\driver.sys", "entry") == "x64/driver.sys");
  CHECK(pp::checked("./x64//sub/./a.dll", "entry") == "x64/sub/a.dll");
  CHECK(pp::checked(".hidden", "entry") == ".hidden");
  CHECK(pp::checked("console/x.inf", "entry") == "console/x.inf");  // CON only as the whole base name
  CHECK_THROWS(pp::checked("con.d/x.inf", "entry"));                // CON.anything is the device too
  CHECK(pp::checked("com10.sys", "entry") == "com10.sys");
  CHECK(pp::checked("a..b.inf", "entry") == "a..b.inf");
}

TEST_CASE("package paths: every way out of the folder or onto a device is refused") {
  CHECK_THAT(refusal("..\\..\\..\\..\\etc\\cron.d\\x"), Catch::Contains("climbs out"));
  CHECK_THAT(refusal("a/../../b"), Catch::Contains("climbs out"));
  CHECK_THAT(refusal("/etc/passwd"), Catch::Contains("absolute path"));
  CHECK_THAT(refusal("\\windows\\system32\\x.dll"), Catch::Contains("absolute path"));
  CHECK_THAT(refusal("\\\\server\\share\\x.dll"), Catch::Contains("absolute path"));
  CHECK_THAT(refusal("C:\\windows\\system32\\drvaudit-planted.dll"), Catch::Contains("absolute path"));
  CHECK_THAT(refusal("C:x.dll"), Catch::Contains("absolute path"));
  CHECK_THAT(refusal("file.inf:stream"), Catch::Contains("alternate data stream"));
  CHECK_THAT(refusal("CON"), Catch::Contains("device"));
  CHECK_THAT(refusal("nul.txt"), Catch::Contains("device"));
  CHECK_THAT(refusal("sub/AUX.inf"), Catch::Contains("device"));
  CHECK_THAT(refusal("Com1"), Catch::Contains("device"));
  CHECK_THAT(refusal("LPT9.dat"), Catch::Contains("device"));
  CHECK_THAT(refusal("CONOUT$"), Catch::Contains("device"));
  CHECK_THAT(refusal("nul .txt"), Catch::Contains("device"));
  CHECK_THAT(refusal("COM\xC2\xB9"), Catch::Contains("device"));
  CHECK_THAT(refusal(".. "), Catch::Contains("dot or a space"));
  CHECK_THAT(refusal("..."), Catch::Contains("dot or a space"));
  CHECK_THAT(refusal("a/b./c"), Catch::Contains("dot or a space"));
  CHECK_THAT(refusal("driver.sys "), Catch::Contains("dot or a space"));
  CHECK_THAT(refusal("a\nb"), Catch::Contains("forbids"));
  CHECK_THAT(refusal(std::string("a\0b", 3)), Catch::Contains("forbids"));
  CHECK_THAT(refusal("a|b"), Catch::Contains("forbids"));
  CHECK_THAT(refusal("what?.inf"), Catch::Contains("forbids"));
  CHECK_THAT(refusal(""), Catch::Contains("empty"));
  CHECK_THAT(refusal("./."), Catch::Contains("names no file"));
  CHECK_THAT(refusal(std::string(300, 'a')), Catch::Contains("longer than 255"));
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "d/";
  CHECK_THAT(refusal(deep + "x"), Catch::Contains("deeper"));
  // A control character in the name reaches the message escaped, never raw.
  CHECK(refusal("\x1b[2J/../x").find('\x1b') == std::string::npos);
}
