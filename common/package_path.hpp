#pragma once

#include <string>
#include <string_view>

// The one rule for every path a driver package names: [SourceDisksFiles] entries and their
// [SourceDisksNames] folders, CopyFiles sources, CatalogFile entries, archive entries, a feed's
// inf_path and a stage manifest's paths. A package is data from whoever made the USB stick or the
// download, and drvaudit copies it as root: a name that could leave the package folder, or that
// Windows would read as something other than a file in it, refuses the whole package before
// anything is copied. docs/security.md lists the rule.
namespace drvaudit::package_path {

// The name as drvaudit uses it: '/'-separated, "." parts and repeated separators dropped.
// Throws drvaudit::Error saying which rule the name breaks:
//   empty or naming no file; absolute ('/', '\', "\\server"), a drive ("C:"), a stream ("a:b");
//   a ".." part; a part with a control character or one of < > : " | ? *; a part ending in a dot
//   or a space (Windows strips them, so "a." opens "a" and ".. " climbs); a reserved device name
//   (CON, PRN, AUX, NUL, COM0-9, LPT0-9, CONIN$, CONOUT$, also with an extension: "NUL.txt");
//   a part longer than 255 bytes, a name longer than 1024 bytes or deeper than 32 parts.
// `what` names the source in the message ("[SourceDisksFiles] entry", "archive entry").
std::string checked(std::string_view name, std::string_view what);

// True when `part` (one path component) is a name Windows reserves for a device.
bool is_device_name(std::string_view part);

}  // namespace drvaudit::package_path
