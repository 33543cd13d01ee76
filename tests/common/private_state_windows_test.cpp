#include <catch2/catch.hpp>

#include <windows.h>
// After windows.h:
#include <aclapi.h>
#include <sddl.h>

#include <memory>

#include "common/error.hpp"
#include "common/private_state.hpp"
#include "tests/support/temp_dir.hpp"

using namespace drvaudit;

namespace {
struct LocalFreeDeleter {
  void operator()(void* p) const noexcept { LocalFree(p); }
};

// The folder's DACL as SDDL, read back from the file system.
std::string dacl_of(const std::filesystem::path& folder) {
  PSECURITY_DESCRIPTOR sd = nullptr;
  REQUIRE(GetNamedSecurityInfoW(folder.wstring().c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr,
                                nullptr, nullptr, &sd) == ERROR_SUCCESS);
  std::unique_ptr<void, LocalFreeDeleter> owned(sd);
  wchar_t* text = nullptr;
  REQUIRE(ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &text,
                                                               nullptr));
  std::unique_ptr<void, LocalFreeDeleter> owned_text(text);
  std::string out;
  for (const wchar_t* p = text; *p; ++p) out += static_cast<char>(*p);
  return out;
}
}  // namespace

TEST_CASE("the machine-wide state folder is created for Administrators and SYSTEM only") {
  test::TempDir temp;
  const auto folder = temp / "drvaudit";
  private_state::prepare_folder(folder, private_state::Access::machine_wide);
  const auto dacl = dacl_of(folder);
  INFO(dacl);
  CHECK(dacl.rfind("D:P", 0) == 0);  // protected: nothing inherited from the parent
  CHECK(dacl.find(";;;SY)") != std::string::npos);
  CHECK(dacl.find(";;;BA)") != std::string::npos);
  CHECK(dacl.find(";;;BU)") == std::string::npos);
  CHECK(dacl.find(";;;WD)") == std::string::npos);
  CHECK_NOTHROW(private_state::prepare_folder(folder, private_state::Access::machine_wide));

  // A folder that lets Users write (how %ProgramData% subfolders inherit) is refused.
  const auto loose = temp / "loose";
  PSECURITY_DESCRIPTOR sd = nullptr;
  REQUIRE(ConvertStringSecurityDescriptorToSecurityDescriptorW(
      L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;BU)", SDDL_REVISION_1, &sd, nullptr));
  std::unique_ptr<void, LocalFreeDeleter> owned(sd);
  SECURITY_ATTRIBUTES sa{sizeof sa, sd, FALSE};
  REQUIRE(CreateDirectoryW(loose.wstring().c_str(), &sa));
  CHECK_THROWS_WITH(private_state::prepare_folder(loose, private_state::Access::machine_wide),
                    Catch::Contains("other than Administrators and SYSTEM can write"));
  CHECK(private_state::prepare_file(folder / "catalog.db", true));
  CHECK_FALSE(private_state::prepare_file(folder / "absent.db", false));
}
