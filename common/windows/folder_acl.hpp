#pragma once

#include <windows.h>

// The access list of Windows' machine-wide state folder, and the judgement of an existing one.
namespace drvaudit::win {

// Protected (nothing inherited from %ProgramData%, which lets every user create files), full control
// for SYSTEM and Administrators, inherited by every file and folder below.
inline constexpr wchar_t kMachineWideSddl[] = L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";

// Whether the DACL lets anyone but SYSTEM and Administrators write, delete or change permissions
// (a NULL DACL grants everyone everything).
bool acl_lets_others_write(const ACL* dacl);

}  // namespace drvaudit::win
