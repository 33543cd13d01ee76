#include <windows.h>

#include <softpub.h>
#include <wintrust.h>

#include <cstdio>

#include "catalog/signature_check.hpp"

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
  if (result == ERROR_SUCCESS) {
    out.status = inf::ChainStatus::verified;
    out.detail = "WinVerifyTrust accepted the catalog";
  } else {
    char code[16];
    std::snprintf(code, sizeof code, "0x%08lX", static_cast<unsigned long>(result));
    out.status = inf::ChainStatus::untrusted;
    out.detail = std::string("WinVerifyTrust refused the catalog (") + code + ")";
  }
  return out;
}

}  // namespace drvaudit::catalog
