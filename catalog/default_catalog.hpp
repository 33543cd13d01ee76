#pragma once

#include <filesystem>
#include <vector>

#include "catalog/target_os.hpp"

// What the catalog holds and is evaluated for when the user names nothing.
namespace drvaudit::catalog {

// Folders indexed before an audit of this machine: the driver store on Windows (%windir%\INF and
// DriverStore\FileRepository); none on Linux, whose drivers come with the kernel.
std::vector<std::filesystem::path> default_inf_folders();

// The running Windows on Windows; Windows 11 23H2 on amd64 elsewhere.
inf::TargetOs default_target();

}  // namespace drvaudit::catalog
