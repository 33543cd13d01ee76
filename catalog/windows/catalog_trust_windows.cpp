#include <windows.h>

#include <bcrypt.h>
#include <mscat.h>
#include <softpub.h>
#include <wintrust.h>

#include <cstdio>
#include <optional>

#include "catalog/signature_check.hpp"
#include "common/windows/wine.hpp"

namespace drvaudit::catalog {

namespace {
// Closes the verification state WinVerifyTrust keeps between its VERIFY and CLOSE calls.
class TrustState {
 public:
  TrustState(WINTRUST_DATA& data, GUID& action) : data_(data), action_(action) {}
  ~TrustState() {
    data_.dwStateAction = WTD_STATEACTION_CLOSE;
    WinVerifyTrust(static_cast<HWND>(INVALID_HANDLE_VALUE), &action_, &data_);
  }
  TrustState(const TrustState&) = delete;
  TrustState& operator=(const TrustState&) = delete;

 private:
  WINTRUST_DATA& data_;
  GUID& action_;
};
}  // namespace

ChainCheck verify_catalog_chain(const std::filesystem::path& catalog) {
  const std::wstring path = catalog.wstring();
  WINTRUST_FILE_INFO file{};
  file.cbStruct = sizeof(file);
  file.pcwszFilePath = path.c_str();
  WINTRUST_DATA data{};
  data.cbStruct = sizeof(data);
  data.dwUIChoice = WTD_UI_NONE;
  data.fdwRevocationChecks = WTD_REVOKE_NONE;  // an audit must not block on the network
  data.dwUnionChoice = WTD_CHOICE_FILE;
  data.pFile = &file;
  data.dwStateAction = WTD_STATEACTION_VERIFY;
  data.dwProvFlags = WTD_CACHE_ONLY_URL_RETRIEVAL;
  GUID action = WINTRUST_ACTION_GENERIC_VERIFY_V2;
  const LONG result = WinVerifyTrust(static_cast<HWND>(INVALID_HANDLE_VALUE), &action, &data);
  TrustState close(data, action);
  ChainCheck out;
  char code[16];
  std::snprintf(code, sizeof code, "0x%08lX", static_cast<unsigned long>(result));
  if (const auto wine = win::wine_version()) {
    // Wine's trust store has neither Microsoft's roots nor Windows' policy: its verdict says nothing
    // about what Windows would decide, so the chain stays unchecked and the answer is only recorded.
    out.status = inf::ChainStatus::not_checked;
    out.detail = "signature chain not verified: under Wine " + *wine + " WinVerifyTrust answered " + code +
                 ", from Wine's trust store, not Windows'";
  } else if (result == ERROR_SUCCESS) {
    out.status = inf::ChainStatus::verified;
    out.detail = "WinVerifyTrust accepted the catalog";
  } else {
    out.status = inf::ChainStatus::untrusted;
    out.detail = std::string("WinVerifyTrust refused the catalog (") + code + ")";
  }
  return out;
}

namespace {
// Releases the catalog administrator context and the catalog it found.
struct CatalogLookup {
  HCATADMIN admin = nullptr;
  HCATINFO info = nullptr;
  ~CatalogLookup() {
    if (info) CryptCATAdminReleaseCatalogContext(admin, info, 0);
    if (admin) CryptCATAdminReleaseContext(admin, 0);
  }
};

std::optional<std::filesystem::path> lookup(HCATADMIN admin, std::string_view digest) {
  CatalogLookup found;
  found.admin = admin;
  std::string bytes(digest);
  found.info = CryptCATAdminEnumCatalogFromHash(admin, reinterpret_cast<BYTE*>(bytes.data()),
                                                static_cast<DWORD>(bytes.size()), 0, nullptr);
  if (!found.info) return std::nullopt;
  CATALOG_INFO info{};
  info.cbStruct = sizeof(info);
  if (!CryptCATCatalogInfoFromContext(found.info, &info, 0)) return std::nullopt;
  return std::filesystem::path(info.wszCatalogFile);
}
}  // namespace

// Wine's catalog database is Wine's own and says nothing about Windows; and Wine 8.0's
// CryptCATAdminEnumCatalogFromHash dereferences NULL (crypt.c, CryptCATEnumerateMember) on a catalog
// whose members carry no attributes, which a driver install puts there. So under Wine it is not asked.
bool has_system_catalogs() { return !win::wine_version(); }

std::optional<std::filesystem::path> find_system_catalog(std::string_view sha1, std::string_view sha256) {
  GUID driver_action = DRIVER_ACTION_VERIFY;
  // SHA-256 catalogs need the Windows 8 context; it is looked up at run time so Windows 7 still runs.
  using Acquire2 = BOOL(WINAPI*)(HCATADMIN*, const GUID*, PCWSTR, PCCERT_STRONG_SIGN_PARA, DWORD);
  if (HMODULE wintrust = GetModuleHandleW(L"wintrust.dll")) {
    if (auto acquire2 = reinterpret_cast<Acquire2>(
            reinterpret_cast<void*>(GetProcAddress(wintrust, "CryptCATAdminAcquireContext2")))) {
      HCATADMIN admin = nullptr;
      if (acquire2(&admin, &driver_action, BCRYPT_SHA256_ALGORITHM, nullptr, 0)) {
        auto found = lookup(admin, sha256);  // releases admin
        if (found) return found;
      }
    }
  }
  HCATADMIN admin = nullptr;
  if (!CryptCATAdminAcquireContext(&admin, &driver_action, 0)) return std::nullopt;
  return lookup(admin, sha1);
}

}  // namespace drvaudit::catalog
