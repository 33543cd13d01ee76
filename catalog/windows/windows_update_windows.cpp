// Windows Update's driver offers through the Windows Update Agent. Wine 8.0's IUpdateSearcher::Search
// is E_NOTIMPL: that is "Windows Update source unavailable", said with the code, never "no offers".
#include "catalog/windows/wua.hpp"
#include "catalog/windows_update.hpp"

#include <cstdio>

namespace drvaudit::windows_update {

namespace {
using win::Bstr;
using win::Com;

const GUID kClsidUpdateSession = {0x4CB43D7F, 0x7EEE, 0x4906, {0x86, 0x98, 0x60, 0xDA, 0x1C, 0x38, 0xF2, 0xFE}};
const GUID kIidUpdateSession = {0x816858A4, 0x260D, 0x4260, {0x93, 0x3A, 0x25, 0x85, 0xF1, 0xAB, 0xC7, 0x6B}};
const GUID kIidWindowsDriverUpdate = {0xB383CD1A, 0x5CE9, 0x4504, {0x9F, 0x63, 0x76, 0x4B, 0x12, 0x36, 0xF1, 0x91}};

// IWindowsDriverUpdate: IUpdate's 45 methods, then its own (vtable slot 52 on), in this order. A COM
// interface is released, never deleted: it has no virtual destructor by design.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
struct IWindowsDriverUpdateLocal : public IUpdate {
  virtual HRESULT STDMETHODCALLTYPE get_DriverClass(BSTR* value) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DriverHardwareID(BSTR* value) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DriverManufacturer(BSTR* value) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DriverModel(BSTR* value) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DriverProvider(BSTR* value) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DriverVerDate(DATE* value) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DeviceProblemNumber(LONG* value) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DeviceStatus(LONG* value) = 0;
};
#pragma GCC diagnostic pop

std::string text_of(HRESULT (STDMETHODCALLTYPE IWindowsDriverUpdateLocal::*getter)(BSTR*),
                    IWindowsDriverUpdateLocal* u) {
  Bstr b;
  if (FAILED((u->*getter)(b.out()))) return "";
  return b.text();
}
}  // namespace

std::string date_text(DATE d) {
  SYSTEMTIME t{};
  if (!VariantTimeToSystemTime(d, &t)) return "";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04u-%02u-%02u", t.wYear, t.wMonth, t.wDay);
  return buffer;
}

HRESULT create_update_searcher(Com<IUpdateSearcher>& searcher) {
  Com<IUpdateSession> session;
  const HRESULT hr = CoCreateInstance(kClsidUpdateSession, nullptr, CLSCTX_INPROC_SERVER, kIidUpdateSession,
                                      reinterpret_cast<void**>(session.out()));
  if (FAILED(hr)) return hr;
  return session->CreateUpdateSearcher(searcher.out());
}

DriverSearch search_drivers() {
  DriverSearch out;
  const win::ComApartment apartment;
  Com<IUpdateSearcher> searcher;
  HRESULT hr = create_update_searcher(searcher);
  Com<ISearchResult> result;
  if (SUCCEEDED(hr)) {
    const Bstr criteria(L"IsInstalled=0 and Type='Driver'");
    hr = searcher->Search(criteria.get(), result.out());
  }
  if (FAILED(hr) || !result) {
    out.detail =
        "Windows Update source unavailable: its driver search gave " + win::code_text(static_cast<unsigned long>(hr));
    return out;
  }
  Com<IUpdateCollection> updates;
  LONG n = 0;
  if (FAILED(result->get_Updates(updates.out())) || !updates || FAILED(updates->get_Count(&n))) {
    out.detail = "Windows Update source unavailable: its search result could not be read";
    return out;
  }
  out.available = true;
  for (LONG i = 0; i < n; ++i) {
    Com<IUpdate> update;
    if (FAILED(updates->get_Item(i, update.out())) || !update) continue;
    Com<IWindowsDriverUpdateLocal> driver;
    if (FAILED(update->QueryInterface(kIidWindowsDriverUpdate, reinterpret_cast<void**>(driver.out()))) || !driver)
      continue;
    DriverOffer o;
    Bstr title;
    if (SUCCEEDED(update->get_Title(title.out()))) o.title = title.text();
    o.driver_class = text_of(&IWindowsDriverUpdateLocal::get_DriverClass, driver.get());
    o.hardware_id = text_of(&IWindowsDriverUpdateLocal::get_DriverHardwareID, driver.get());
    o.manufacturer = text_of(&IWindowsDriverUpdateLocal::get_DriverManufacturer, driver.get());
    o.model = text_of(&IWindowsDriverUpdateLocal::get_DriverModel, driver.get());
    o.provider = text_of(&IWindowsDriverUpdateLocal::get_DriverProvider, driver.get());
    DATE date = 0;
    if (SUCCEEDED(driver->get_DriverVerDate(&date))) o.date = date_text(date);
    if (!o.hardware_id.empty()) out.offers.push_back(std::move(o));
  }
  out.detail = std::to_string(out.offers.size()) + " driver update" + (out.offers.size() == 1 ? "" : "s") +
               " offered by Windows Update";
  return out;
}

}  // namespace drvaudit::windows_update
