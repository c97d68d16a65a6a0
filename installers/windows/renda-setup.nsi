; Windows installer of the suite (NSIS 3, Unicode). Packs the folder built by build_spec/build.py.
; makensis -DVERSION=0.1.0 -DSOURCE_DIR=..\..\dist\renda -DOUTFILE=renda-setup-0.1.0.exe renda-setup.nsi
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
!ifndef OUTFILE
  !define OUTFILE "renda-setup-${VERSION}.exe"
!endif
!define PRODUCT_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\RendaSuite"

!include "MUI2.nsh"

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

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\renda.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; Simplified Chinese first; English for English-language Windows.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString ProductName ${LANG_SIMPCHINESE} "人大业务软件套件"
LangString ProductName ${LANG_ENGLISH} "Renda Suite"
LangString ShortcutName ${LANG_SIMPCHINESE} "人大业务系统"
LangString ShortcutName ${LANG_ENGLISH} "Renda Suite"
LangString UninstallName ${LANG_SIMPCHINESE} "卸载人大业务系统"
LangString UninstallName ${LANG_ENGLISH} "Uninstall Renda Suite"
LangString KeepData ${LANG_SIMPCHINESE} "本机数据（未同步的修改、附件）保留在用户的数据文件夹中，卸载不会删除。"
LangString KeepData ${LANG_ENGLISH} "Local data (unsynced edits, attachments) stays in the user's data folder; uninstalling does not delete it."

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "Install"
  SetOutPath "$INSTDIR"
  File /r "${SOURCE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\$(ShortcutName)"
  CreateShortcut "$SMPROGRAMS\$(ShortcutName)\$(ShortcutName).lnk" "$INSTDIR\renda.exe"
  CreateShortcut "$SMPROGRAMS\$(ShortcutName)\$(UninstallName).lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\$(ShortcutName).lnk" "$INSTDIR\renda.exe"
  WriteRegStr HKLM "${PRODUCT_KEY}" "DisplayName" "$(ProductName)"
  WriteRegStr HKLM "${PRODUCT_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${PRODUCT_KEY}" "Publisher" "上海市人大常委会办公厅"
  WriteRegStr HKLM "${PRODUCT_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${PRODUCT_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${PRODUCT_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${PRODUCT_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  DetailPrint "$(KeepData)"
  Delete "$DESKTOP\$(ShortcutName).lnk"
  RMDir /r "$SMPROGRAMS\$(ShortcutName)"
  RMDir /r "$INSTDIR"
  DeleteRegKey HKLM "${PRODUCT_KEY}"
SectionEnd
