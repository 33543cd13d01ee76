#include "scanner/linux/machine_info_linux.hpp"

#include <sys/utsname.h>

#include "common/arch.hpp"
#include "common/clock.hpp"

namespace drvaudit {

MachineInfo linux_machine_info(const std::string& source) {
  MachineInfo info;
  info.os = "linux";
  info.source = source;
  info.captured_at = utc_now_iso8601();
  utsname uts{};
  if (::uname(&uts) == 0) {
    info.hostname = uts.nodename;
    info.os_version = uts.release;
    info.arch = arch_shown(uts.machine);  // amd64, as Windows and drvaudit's options call it
  }
  return info;
}

}  // namespace drvaudit
