#include <unistd.h>

#include "common/privileges.hpp"

namespace drvaudit {

bool is_administrator() { return ::geteuid() == 0; }

}  // namespace drvaudit
