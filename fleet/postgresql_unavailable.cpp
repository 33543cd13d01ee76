// A build without libpq (the Windows cross build by default): the fleet lives in SQLite only.
#include "common/error.hpp"
#include "fleet/connection.hpp"

namespace drvaudit::fleet {

bool postgresql_available() { return false; }

std::unique_ptr<Connection> open_postgresql(const std::string&) {
  throw UnsupportedError(
      "PostgreSQL is unsupported in this build (it was built without libpq): use the SQLite "
      "fleet database (no --db), or drvaudit built on Linux");
}

}  // namespace drvaudit::fleet
