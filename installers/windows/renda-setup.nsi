; Windows installer of the suite (NSIS 3, Unicode). Packs the folder built by `make dist` (dist\renda):
;   python installers\windows\filelist.py dist\renda installers\windows\build
;   makensis -DVERSION=0.1.0 -DSOURCE_DIR=..\..\dist\renda -DLISTS=build -DOUTFILE=renda-setup-0.1.0.exe renda-setup.nsi
;
; - per machine, for all users (shortcuts in the all-users Start menu and desktop);
; - the uninstaller deletes exactly the files the installer wrote (lists made by filelist.py) and then the
;   folders it made, only when they are empty: other files in the chosen folder stay;
; - upgrade in place: refused while the program runs; the previous version's files are removed first by its
;   own uninstaller; user data (each user's data and settings folders) is never touched;
; - optional conference-hall autostart: the kiosk starts full screen when a chosen Windows account signs in;
; - the finish page starts the program as the signed-in user, not elevated;
; - Chinese and English, and the uninstaller speaks the language chosen at install.
Unicode true
ManifestDPIAware true
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef SOURCE_DIR
  !define SOURCE_DIR "..\..\dist\renda"
!endif
!ifndef LISTS
  !define LISTS "build"
!endif
!ifndef OUTFILE
  !define OUTFILE "renda-setup-${VERSION}.exe"
!endif
!define PRODUCT_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\RendaSuite"
!define SETTINGS_KEY "Software\RendaSuite"
!define KIOSK_TASK "RendaSuite Kiosk"

!include "MUI2.nsh"
!include "nsDialogs.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

Name "$(ProductName)"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\RendaSuite"
InstallDirRegKey HKLM "${PRODUCT_KEY}" "InstallLocation"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "人大业务软件套件"
VIAddVersionKey /LANG=2052 "FileDescription" "人大业务软件套件安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "上海市人大常委会办公厅"
VIAddVersionKey /LANG=2052 "LegalCopyright" "上海市人大常委会办公厅"

Var KioskBox
Var KioskOn
Var AccountField
Var KioskAccount
Var FaceList
Var KioskFace
Var LinkField
Var KioskLink

; The language chosen at install is kept here, and the uninstaller reads it back.
!define MUI_LANGDLL_REGISTRY_ROOT "HKLM"
!define MUI_LANGDLL_REGISTRY_KEY "${SETTINGS_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"

!define MUI_ABORTWARNING
!define MUI_ICON "..\..\resources\renda.ico"
!define MUI_UNICON "..\..\resources\renda.ico"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
Page custom KioskPage KioskPageLeave
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "$(RunNow)"
!define MUI_FINISHPAGE_RUN_FUNCTION RunAsUser
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; Simplified Chinese first; English for English-language Windows.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString ProductName ${LANG_SIMPCHINESE} "人大业务软件套件"
LangString ProductName ${LANG_ENGLISH} "Renda Suite"
LangString ShortcutName ${LANG_SIMPCHINESE} "人大业务系统"
LangString ShortcutName ${LANG_ENGLISH} "Renda Suite"
LangString UninstallName ${LANG_SIMPCHINESE} "卸载人大业务系统"
LangString UninstallName ${LANG_ENGLISH} "Uninstall Renda Suite"
LangString KeepData ${LANG_SIMPCHINESE} "本机数据（未同步的修改、附件）保留在用户的数据文件夹中，卸载不会删除。"
LangString KeepData ${LANG_ENGLISH} "Local data (unsynced edits, attachments) stays in the user's data folder; uninstalling does not delete it."
LangString StillRunning ${LANG_SIMPCHINESE} "人大业务系统正在运行。请先退出全部窗口（包括会场终端），再点“重试”。"
LangString StillRunning ${LANG_ENGLISH} "Renda Suite is running. Close all its windows (the kiosk too), then choose Retry."
LangString OldNotRemoved ${LANG_SIMPCHINESE} "无法卸载旧版本（退出码 $0）。安装已停止，没有做任何改动。"
LangString OldNotRemoved ${LANG_ENGLISH} "The previous version could not be removed (exit code $0). Setup stopped; nothing was changed."
LangString RunNow ${LANG_SIMPCHINESE} "启动人大业务系统"
LangString RunNow ${LANG_ENGLISH} "Start Renda Suite"
LangString KioskTitle ${LANG_SIMPCHINESE} "会场终端"
LangString KioskTitle ${LANG_ENGLISH} "Conference hall kiosk"
LangString KioskSubtitle ${LANG_SIMPCHINESE} "这台电脑是否用作主席团会场的会务终端？"
LangString KioskSubtitle ${LANG_ENGLISH} "Is this computer a kiosk of the presidium hall?"
LangString KioskCheck ${LANG_SIMPCHINESE} "会场终端（自动启动全屏会务）"
LangString KioskCheck ${LANG_ENGLISH} "Conference kiosk (start the full-screen kiosk automatically)"
LangString KioskAccountLabel ${LANG_SIMPCHINESE} "登录后自动启动的 Windows 账户："
LangString KioskAccountLabel ${LANG_ENGLISH} "Windows account that starts it at sign-in:"
LangString KioskFaceLabel ${LANG_SIMPCHINESE} "画面：console 主持人控制台，bigscreen 大屏幕，seat 席位屏"
LangString KioskFaceLabel ${LANG_ENGLISH} "Face: console, bigscreen or seat"
LangString KioskLinkLabel ${LANG_SIMPCHINESE} "席位表决器连接（如 serial:///COM3 或 tcp://0.0.0.0:7000，可空）："
LangString KioskLinkLabel ${LANG_ENGLISH} "Seat link (e.g. serial:///COM3 or tcp://0.0.0.0:7000; may be empty):"
LangString KioskNeedsAccount ${LANG_SIMPCHINESE} "请填写会场终端使用的 Windows 账户。"
LangString KioskNeedsAccount ${LANG_ENGLISH} "Enter the Windows account of the kiosk."
LangString KioskTaskFailed ${LANG_SIMPCHINESE} "未能设置会场终端自动启动（schtasks 退出码 $0）。可在安装后用任务计划程序手动设置。"
LangString KioskTaskFailed ${LANG_ENGLISH} "The kiosk autostart could not be set (schtasks exit code $0). Set it up in Task Scheduler after setup."

; ------------------------------------------------------------------ checks shared by install and uninstall
!macro REFUSE_WHILE_RUNNING UN
Function ${UN}RefuseWhileRunning
  ; A running program keeps its executables open: they cannot be opened for writing then.
  retry:
  ${If} ${FileExists} "$INSTDIR\renda.exe"
    ClearErrors
    FileOpen $R0 "$INSTDIR\renda.exe" a
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(StillRunning)" /SD IDCANCEL IDRETRY retry
      Abort
    ${EndIf}
    FileClose $R0
  ${EndIf}
  ${If} ${FileExists} "$INSTDIR\renda-cli.exe"
    ClearErrors
    FileOpen $R0 "$INSTDIR\renda-cli.exe" a
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(StillRunning)" /SD IDCANCEL IDRETRY retry
      Abort
    ${EndIf}
    FileClose $R0
  ${EndIf}
FunctionEnd
!macroend
!insertmacro REFUSE_WHILE_RUNNING ""
!insertmacro REFUSE_WHILE_RUNNING "un."

Function .onInit
  SetShellVarContext all
  SetRegView 64
  !insertmacro MUI_LANGDLL_DISPLAY
  StrCpy $KioskOn ${BST_UNCHECKED}
  StrCpy $KioskFace "console"
  ReadRegStr $KioskAccount HKLM "${SETTINGS_KEY}" "KioskAccount"
  ${If} $KioskAccount != ""
    StrCpy $KioskOn ${BST_CHECKED}
    ReadRegStr $KioskFace HKLM "${SETTINGS_KEY}" "KioskFace"
    ReadRegStr $KioskLink HKLM "${SETTINGS_KEY}" "KioskLink"
  ${EndIf}
FunctionEnd

; ------------------------------------------------------------------ the kiosk page
Function KioskPage
  !insertmacro MUI_HEADER_TEXT "$(KioskTitle)" "$(KioskSubtitle)"
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateCheckbox} 0 0 100% 12u "$(KioskCheck)"
  Pop $KioskBox
  ${NSD_SetState} $KioskBox $KioskOn
  ${NSD_CreateLabel} 0 20u 100% 10u "$(KioskAccountLabel)"
  Pop $0
  ${NSD_CreateText} 0 31u 60% 12u "$KioskAccount"
  Pop $AccountField
  ${NSD_CreateLabel} 0 50u 100% 10u "$(KioskFaceLabel)"
  Pop $0
  ${NSD_CreateDropList} 0 61u 40% 60u ""
  Pop $FaceList
  ${NSD_CB_AddString} $FaceList "console"
  ${NSD_CB_AddString} $FaceList "bigscreen"
  ${NSD_CB_AddString} $FaceList "seat"
  ${NSD_CB_SelectString} $FaceList "$KioskFace"
  ${NSD_CreateLabel} 0 80u 100% 10u "$(KioskLinkLabel)"
  Pop $0
  ${NSD_CreateText} 0 91u 60% 12u "$KioskLink"
  Pop $LinkField
  nsDialogs::Show
FunctionEnd

Function KioskPageLeave
  ${NSD_GetState} $KioskBox $KioskOn
  ${NSD_GetText} $AccountField $KioskAccount
  ${NSD_GetText} $FaceList $KioskFace
  ${NSD_GetText} $LinkField $KioskLink
  ${If} $KioskOn == ${BST_CHECKED}
  ${AndIf} $KioskAccount == ""
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(KioskNeedsAccount)"
    Abort
  ${EndIf}
  ${If} $KioskFace == ""
    StrCpy $KioskFace "console"
  ${EndIf}
FunctionEnd

; ------------------------------------------------------------------ install
Section "Install"
  SetShellVarContext all
  Call RefuseWhileRunning
  ; Upgrade: the previous version's own uninstaller removes its files (user data stays), in place.
  ReadRegStr $R1 HKLM "${PRODUCT_KEY}" "InstallLocation"
  ${If} $R1 != ""
  ${AndIf} ${FileExists} "$R1\uninstall.exe"
    InitPluginsDir
    CopyFiles /SILENT "$R1\uninstall.exe" "$PLUGINSDIR\old-uninstall.exe"
    ExecWait '"$PLUGINSDIR\old-uninstall.exe" /S /UPGRADE _?=$R1' $0
    ${If} $0 != 0
      MessageBox MB_OK|MB_ICONSTOP "$(OldNotRemoved)" /SD IDOK
      Abort
    ${EndIf}
    Delete "$R1\uninstall.exe"
    RMDir "$R1"
  ${EndIf}

  SetOutPath "$INSTDIR"
  !include "${LISTS}\install-files.nsh"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\$(ShortcutName)"
  CreateShortcut "$SMPROGRAMS\$(ShortcutName)\$(ShortcutName).lnk" "$INSTDIR\renda.exe"
  CreateShortcut "$SMPROGRAMS\$(ShortcutName)\$(UninstallName).lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\$(ShortcutName).lnk" "$INSTDIR\renda.exe"
  WriteRegStr HKLM "${SETTINGS_KEY}" "ShortcutName" "$(ShortcutName)"

  ; The kiosk starts at sign-in of the chosen account (a logon task of that account, interactive only).
  nsExec::Exec 'schtasks /Delete /TN "${KIOSK_TASK}" /F'
  Pop $0
  DeleteRegValue HKLM "${SETTINGS_KEY}" "KioskAccount"
  ${If} $KioskOn == ${BST_CHECKED}
    StrCpy $R2 'kiosk --face $KioskFace'
    ${If} $KioskLink != ""
      StrCpy $R2 '$R2 --link $KioskLink'
    ${EndIf}
    nsExec::ExecToLog 'schtasks /Create /TN "${KIOSK_TASK}" /SC ONLOGON /RU "$KioskAccount" /IT /RL LIMITED /F /TR "\"$INSTDIR\renda.exe\" $R2"'
    Pop $0
    ${If} $0 == 0
      WriteRegStr HKLM "${SETTINGS_KEY}" "KioskAccount" "$KioskAccount"
      WriteRegStr HKLM "${SETTINGS_KEY}" "KioskFace" "$KioskFace"
      WriteRegStr HKLM "${SETTINGS_KEY}" "KioskLink" "$KioskLink"
    ${Else}
      MessageBox MB_OK|MB_ICONEXCLAMATION "$(KioskTaskFailed)" /SD IDOK
    ${EndIf}
  ${EndIf}

  ${GetSize} "$INSTDIR" "/S=0K" $R3 $R4 $R5
  WriteRegStr HKLM "${PRODUCT_KEY}" "DisplayName" "$(ProductName)"
  WriteRegStr HKLM "${PRODUCT_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${PRODUCT_KEY}" "DisplayIcon" "$INSTDIR\renda.exe"
  WriteRegStr HKLM "${PRODUCT_KEY}" "Publisher" "上海市人大常委会办公厅"
  WriteRegStr HKLM "${PRODUCT_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${PRODUCT_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${PRODUCT_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${PRODUCT_KEY}" "EstimatedSize" $R3
  WriteRegDWORD HKLM "${PRODUCT_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${PRODUCT_KEY}" "NoRepair" 1
SectionEnd

; The finish page starts the program through Explorer, which runs as the signed-in user without elevation.
Function RunAsUser
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\renda.exe"'
FunctionEnd

; ------------------------------------------------------------------ uninstall
Function un.onInit
  SetShellVarContext all
  SetRegView 64
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "Uninstall"
  SetShellVarContext all
  Call un.RefuseWhileRunning
  DetailPrint "$(KeepData)"
  ; Exactly the files this version installed, then its folders when empty; nothing else in $INSTDIR.
  !include "${LISTS}\uninstall-files.nsh"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/UPGRADE" $R1
  ${If} ${Errors}  ; a real uninstall, not the removal of an old version during an upgrade
    ReadRegStr $R2 HKLM "${SETTINGS_KEY}" "ShortcutName"
    ${If} $R2 == ""
      StrCpy $R2 "$(ShortcutName)"
    ${EndIf}
    Delete "$DESKTOP\$R2.lnk"
    Delete "$SMPROGRAMS\$R2\$R2.lnk"
    Delete "$SMPROGRAMS\$R2\$(UninstallName).lnk"
    RMDir "$SMPROGRAMS\$R2"
    nsExec::Exec 'schtasks /Delete /TN "${KIOSK_TASK}" /F'
    Pop $0
    DeleteRegKey HKLM "${PRODUCT_KEY}"
    DeleteRegKey HKLM "${SETTINGS_KEY}"
  ${EndIf}
SectionEnd
