#include <catch2/catch.hpp>

#include <windows.h>
// After windows.h:
#include <aclapi.h>
#include <sddl.h>

#include <memory>

#include "common/error.hpp"
#include "common/private_state.hpp"
#include "common/windows/folder_acl.hpp"
#include "common/windows/wine.hpp"
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

PSECURITY_DESCRIPTOR descriptor(const wchar_t* sddl) {
  PSECURITY_DESCRIPTOR sd = nullptr;
  REQUIRE(ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, nullptr));
  return sd;
}

bool lets_others_write(const wchar_t* sddl) {
  std::unique_ptr<void, LocalFreeDeleter> sd(descriptor(sddl));
  BOOL present = FALSE, defaulted = FALSE;
  PACL dacl = nullptr;
  REQUIRE(GetSecurityDescriptorDacl(sd.get(), &present, &dacl, &defaulted));
  return win::acl_lets_others_write(present ? dacl : nullptr);
}
}  // namespace

TEST_CASE("the machine-wide access list: Administrators and SYSTEM only, and anything looser is refused") {
  CHECK_FALSE(lets_others_write(win::kMachineWideSddl));
  // What %ProgramData% subfolders inherit: Users may create files.
  CHECK(lets_others_write(L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;BU)"));
  CHECK(lets_others_write(L"D:(A;;FA;;;WD)"));
  CHECK(lets_others_write(L"D:(A;;0x00000004;;;AU)"));  // FILE_ADD_SUBDIRECTORY only
  CHECK_FALSE(lets_others_write(L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"));  // Users read
  CHECK(lets_others_write(L""));  // no DACL at all: everyone may do everything
}

TEST_CASE("the machine-wide state folder is created with that access list") {
  test::TempDir temp;
  const auto folder = temp / "drvaudit";
  private_state::prepare_folder(folder, private_state::Access::machine_wide);
  REQUIRE(std::filesystem::is_directory(folder));
  const auto dacl = dacl_of(folder);
  if (win::wine_version()) {
    // Wine makes access lists up from Unix permissions and does not keep the one set at creation:
    // what Windows would do cannot be observed here (drvaudit says so with a warning).
    WARN("under Wine " << *win::wine_version() << " the folder's access list reads back as " << dacl);
    CHECK(dacl.find("D:P") == std::string::npos);  // if Wine starts keeping it, this test must assert it
  } else {
    INFO(dacl);
    CHECK(dacl.rfind("D:P", 0) == 0);  // protected: nothing inherited from the parent
    CHECK(dacl.find(";;;SY)") != std::string::npos);
    CHECK(dacl.find(";;;BA)") != std::string::npos);
    CHECK(dacl.find(";;;BU)") == std::string::npos);
  }
  CHECK_NOTHROW(private_state::prepare_folder(folder, private_state::Access::machine_wide));
  CHECK(private_state::prepare_file(folder / "catalog.db", true));
  CHECK_FALSE(private_state::prepare_file(folder / "absent.db", false));
}
