#pragma once

#include <objbase.h>
#include <oleauto.h>

#include <cstdio>
#include <string>
#include <utility>

#include "common/text.hpp"
#include "common/windows/wide.hpp"

// RAII for COM: an interface pointer, a BSTR, the apartment; and an HRESULT in words.
namespace drvaudit::win {

template <typename T>
class Com {
 public:
  Com() = default;
  Com(const Com&) = delete;
  Com& operator=(const Com&) = delete;
  Com(Com&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  ~Com() {
    if (p_) p_->Release();
  }
  T** out() { return &p_; }
  T* operator->() const { return p_; }
  T* get() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  T* p_ = nullptr;
};

class Bstr {
 public:
  explicit Bstr(const std::wstring& s) : b_(SysAllocStringLen(s.data(), static_cast<UINT>(s.size()))) {}
  Bstr() = default;
  Bstr(const Bstr&) = delete;
  Bstr& operator=(const Bstr&) = delete;
  ~Bstr() { SysFreeString(b_); }
  BSTR get() const { return b_; }
  BSTR* out() { return &b_; }
  std::string text() const { return b_ ? narrow(std::wstring_view(b_, SysStringLen(b_))) : std::string(); }

 private:
  BSTR b_ = nullptr;
};

class ComApartment {
 public:
  ComApartment() : hr_(CoInitializeEx(nullptr, COINIT_MULTITHREADED)) {}
  ~ComApartment() {
    if (SUCCEEDED(hr_)) CoUninitialize();
  }
  ComApartment(const ComApartment&) = delete;
  ComApartment& operator=(const ComApartment&) = delete;

 private:
  HRESULT hr_;
};

// "0x80004001 Not implemented": the code and the system's message for it.
inline std::string code_text(unsigned long code) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08lX", code);
  const auto message = text::trimmed(error_message(code));
  return message.empty() ? std::string(hex) : std::string(hex) + " " + message;
}

}  // namespace drvaudit::win
