<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>BureauLinksPanel</name>
    <message>
        <source>报送单位</source>
        <translation>Sender</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>上次拉取</source>
        <translation>Last pull</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>下次拉取</source>
        <translation>Next pull</translation>
    </message>
    <message>
        <source>立即拉取</source>
        <translation>Pull now</translation>
    </message>
    <message>
        <source>选择一个报送单位，可查看和修改接口设置，或立即拉取新数据。</source>
        <translation>Choose a sender to see and change its link settings, or pull new data now.</translation>
    </message>
    <message>
        <source>启用（按设定的间隔自动拉取）</source>
        <translation>Enabled (pull automatically at the set interval)</translation>
    </message>
    <message>
        <source>不修改请留空；口令保存在系统钥匙串中</source>
        <translation>Leave empty to keep; the token is kept in the system keyring</translation>
    </message>
    <message>
        <source>使用客户端证书时填写（PEM 文件）</source>
        <translation>When the bureau uses client certificates (PEM file)</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>保存设置</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <source>接口设置</source>
        <translation>Link settings</translation>
    </message>
    <message>
        <source>接口地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>接口口令</source>
        <translation>Access token</translation>
    </message>
    <message>
        <source>客户端证书</source>
        <translation>Client certificate</translation>
    </message>
    <message>
        <source>各委办局通过加密接口提供数据文件。拉取时逐个下载、核对校验值、原样存档，再整批导入；任何一个文件有问题，本次拉取都不导入，下次从原处重新拉取。</source>
        <translation>The bureaus offer data files over encrypted links. A pull downloads each file, checks its checksum, keeps it as received, then imports them together; if any file has a problem, nothing of that pull is imported and the next pull starts from the same place.</translation>
    </message>
    <message>
        <source>委办局接口</source>
        <translation>Bureau links</translation>
    </message>
    <message>
        <source>尚未拉取</source>
        <translation>Not pulled yet</translation>
    </message>
    <message>
        <source>未设置</source>
        <translation>Not set up</translation>
    </message>
    <message>
        <source>成功</source>
        <translation>Succeeded</translation>
    </message>
    <message>
        <source>失败：</source>
        <translation>Failed: </translation>
    </message>
    <message>
        <source>已启用</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <source>未启用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>%1：尚无拉取记录。填写接口地址并保存后，可点“立即拉取”。</source>
        <translation>%1: no pulls yet. Enter the address and save, then click “Pull now”.</translation>
    </message>
    <message>
        <source>已保存口令；不修改请留空</source>
        <translation>A token is saved; leave empty to keep it</translation>
    </message>
    <message>
        <source>选择客户端证书</source>
        <translation>Choose the client certificate</translation>
    </message>
    <message>
        <source>证书 (*.pem *.crt)</source>
        <translation>Certificates (*.pem *.crt)</translation>
    </message>
    <message>
        <source>接口地址必须以 https:// 开头（加密传输）。设置没有保存。</source>
        <translation>The address must start with https:// (encrypted). The settings were not saved.</translation>
    </message>
    <message>
        <source>找不到证书文件“%1”。设置没有保存。</source>
        <translation>Certificate file “%1” not found. The settings were not saved.</translation>
    </message>
    <message>
        <source>已保存%1的接口设置。</source>
        <translation>Saved the link settings of %1.</translation>
    </message>
    <message>
        <source>正在从%1拉取……</source>
        <translation>Pulling from %1…</translation>
    </message>
    <message>
        <source>已取消，没有写入任何数据。</source>
        <translation>Cancelled; nothing was written.</translation>
    </message>
    <message>
        <source>正在获取文件清单</source>
        <translation>Fetching the file list</translation>
    </message>
</context>
<context>
    <name>DataLinks</name>
    <message>
        <source>支付明细（市财政局）</source>
        <translation>Payments (Finance Bureau)</translation>
    </message>
    <message>
        <source>预算指标（市财政局）</source>
        <translation>Budget indicators (Finance Bureau)</translation>
    </message>
    <message>
        <source>用款计划（市财政局）</source>
        <translation>Spending plans (Finance Bureau)</translation>
    </message>
    <message>
        <source>政府收支分类科目（财政部科目表）</source>
        <translation>Classification codes (Ministry of Finance table)</translation>
    </message>
    <message>
        <source>科目年度对照（财政部科目表）</source>
        <translation>Code mapping between years (Ministry of Finance table)</translation>
    </message>
    <message>
        <source>税收收入（市税务局）</source>
        <translation>Tax revenue (Tax Bureau)</translation>
    </message>
    <message>
        <source>社会保险基金收支（市人社局）</source>
        <translation>Social-insurance funds (Human Resources and Social Security Bureau)</translation>
    </message>
    <message>
        <source>国有资产情况（市国资委）</source>
        <translation>State-owned assets (SASAC)</translation>
    </message>
    <message>
        <source>审计查出问题及整改（市审计局）</source>
        <translation>Audit findings and rectification (Audit Bureau)</translation>
    </message>
    <message>
        <source>市财政局</source>
        <translation>Municipal Finance Bureau</translation>
    </message>
    <message>
        <source>市税务局</source>
        <translation>Municipal Tax Bureau</translation>
    </message>
    <message>
        <source>市人力资源和社会保障局</source>
        <translation>Municipal Human Resources and Social Security Bureau</translation>
    </message>
    <message>
        <source>市国资委</source>
        <translation>Municipal SASAC</translation>
    </message>
    <message>
        <source>市审计局</source>
        <translation>Municipal Audit Bureau</translation>
    </message>
</context>
<context>
    <name>DataLinksPage</name>
    <message>
        <source>您可以查看导入记录；导入数据由预算工作委员会工作人员办理。</source>
        <translation>You can see the import history; imports are done by the Budget Working Committee staff.</translation>
    </message>
    <message>
        <source>数据接入</source>
        <translation>Data links</translation>
    </message>
</context>
<context>
    <name>ExchangePanel</name>
    <message>
        <source>月 至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>月</source>
        <translation>(month)</translation>
    </message>
    <message>
        <source>上海市人大常委会预算工作委员会</source>
        <translation>Budget Working Committee, Shanghai Municipal People&apos;s Congress Standing Committee</translation>
    </message>
    <message>
        <source>导出数据包…</source>
        <translation>Export a package…</translation>
    </message>
    <message>
        <source>导出数据包（报送或下发）</source>
        <translation>Export a package (to send up or down)</translation>
    </message>
    <message>
        <source>预算年度</source>
        <translation>Budget year</translation>
    </message>
    <message>
        <source>月份</source>
        <translation>Months</translation>
    </message>
    <message>
        <source>报送单位</source>
        <translation>Sender</translation>
    </message>
    <message>
        <source>同时登记数据包中本系统没有的部门</source>
        <translation>Also register the package&apos;s departments this system does not have</translation>
    </message>
    <message>
        <source>导入数据包…</source>
        <translation>Import a package…</translation>
    </message>
    <message>
        <source>导入区人大报送的数据包</source>
        <translation>Import a district congress package</translation>
    </message>
    <message>
        <source>只接受受信任单位签名的数据包。数据包整包检查：签名无效、缺文件、文件被改动或损坏、行数不符、部门未登记，都会整包拒收；检查通过后整包一次导入，有一处问题就整包不导入。</source>
        <translation>Only packages signed by a trusted producer are accepted. A package is checked as a whole: an invalid signature, a missing, altered or damaged file, a wrong row count or an unregistered department refuses the whole package; a package that passes is imported at once, and any problem imports none of it.</translation>
    </message>
    <message>
        <source>可以把本系统一个年度（或若干月份）的数据导出为数据包，也可以导入区人大报送的数据包。</source>
        <translation>Export a year&apos;s (or some months&apos;) data as a package, or import a package sent by a district congress.</translation>
    </message>
    <message>
        <source>签名与受信任单位</source>
        <translation>Signatures and trusted producers</translation>
    </message>
    <message>
        <source>复制本机公钥</source>
        <translation>Copy this computer&apos;s public key</translation>
    </message>
    <message>
        <source>登记对方公钥…</source>
        <translation>Register a producer&apos;s key…</translation>
    </message>
    <message>
        <source>移除所选单位</source>
        <translation>Remove selected producer</translation>
    </message>
    <message>
        <source>只导入以下单位签名的数据包（登记前请与对方电话核对指纹）：</source>
        <translation>Only packages signed by these producers are imported (check the fingerprint by phone before registering):</translation>
    </message>
    <message>
        <source>区人大数据包</source>
        <translation>District packages</translation>
    </message>
    <message>
        <source>本机签名公钥指纹：%1（导出的数据包用它签名；对方登记时请核对）</source>
        <translation>This computer&apos;s signing key fingerprint: %1 (exported packages are signed with it; the receiver checks it when registering)</translation>
    </message>
    <message>
        <source>本机没有可用的签名密钥：%1</source>
        <translation>No signing key is available on this computer: %1</translation>
    </message>
    <message>
        <source>本机公钥已复制，可发给对方登记。</source>
        <translation>This computer&apos;s public key has been copied; send it to the receiver to register.</translation>
    </message>
    <message>
        <source>登记对方公钥</source>
        <translation>Register a producer&apos;s public key</translation>
    </message>
    <message>
        <source>对方单位名称：</source>
        <translation>Producer&apos;s name:</translation>
    </message>
    <message>
        <source>对方的公钥（44 个字符）：</source>
        <translation>Producer&apos;s public key (44 characters):</translation>
    </message>
    <message>
        <source>已登记“%1”，公钥指纹 %2。</source>
        <translation>Registered “%1”, key fingerprint %2.</translation>
    </message>
    <message>
        <source>导出数据包</source>
        <translation>Export a package</translation>
    </message>
    <message>
        <source>数据包 (*.zip)</source>
        <translation>Packages (*.zip)</translation>
    </message>
    <message>
        <source>选择数据包</source>
        <translation>Choose a package</translation>
    </message>
    <message>
        <source>起始月份不能晚于结束月份。没有导出。</source>
        <translation>The first month cannot be after the last. Nothing was exported.</translation>
    </message>
    <message>
        <source>请填写报送单位。没有导出。</source>
        <translation>Please fill in the sender. Nothing was exported.</translation>
    </message>
    <message>
        <source>本机没有可用的签名密钥，不能导出：%1</source>
        <translation>No signing key is available on this computer, nothing exported: %1</translation>
    </message>
    <message>
        <source>已取消，没有生成数据包。</source>
        <translation>Cancelled; no package was made.</translation>
    </message>
    <message>
        <source>正在导出</source>
        <translation>Exporting</translation>
    </message>
    <message>
        <source>%1 没有数据，已导出一个空数据包：%2</source>
        <translation>%1 has no data; an empty package was exported: %2</translation>
    </message>
    <message>
        <source>已导出%1数据包：%2 个文件，共 %3 行。文件：%4</source>
        <translation>Exported the package of %1: %2 files, %3 rows. File: %4</translation>
    </message>
    <message>
        <source>正在检查数据包“%1”……</source>
        <translation>Checking package “%1”…</translation>
    </message>
    <message>
        <source>已取消，没有写入任何数据。</source>
        <translation>Cancelled; nothing was written.</translation>
    </message>
    <message>
        <source>正在检查数据包</source>
        <translation>Checking the package</translation>
    </message>
    <message>
        <source>同时登记了 %1 个部门。</source>
        <translation> Also registered %1 departments.</translation>
    </message>
    <message>
        <source>出错了：%1</source>
        <translation>Something went wrong: %1</translation>
    </message>
</context>
<context>
    <name>FileImportPanel</name>
    <message>
        <source>请选择对方报送的 CSV 或 Excel 文件</source>
        <translation>Choose the CSV or Excel file the bureau sent</translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>允许更正已导入的记录（对方重新报送的更正文件）</source>
        <translation>Allow corrections to imported records (a corrected file from the bureau)</translation>
    </message>
    <message>
        <source>开始导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>文件类别</source>
        <translation>Kind of file</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>导入一个文件</source>
        <translation>Import a file</translation>
    </message>
    <message>
        <source>整个文件先检查，再一次写入：只要有一处问题，整个文件都不导入，下面逐行列出问题和改法。同一文件重复导入不会产生重复数据。</source>
        <translation>The whole file is checked first and then written at once: with any problem nothing is imported, and the problems are listed row by row with what to do. Importing the same file twice creates no duplicates.</translation>
    </message>
    <message>
        <source>还没有导入文件。选择文件类别和文件后点“开始导入”。</source>
        <translation>No file imported yet. Choose the kind and the file, then click “Import”.</translation>
    </message>
    <message>
        <source>导入模板</source>
        <translation>Templates</translation>
    </message>
    <message>
        <source>把各类文件的空白模板（CSV 和 Excel，含填写说明）保存到一个文件夹，发给报送单位。</source>
        <translation>Save blank templates of every kind of file (CSV and Excel, with instructions) to a folder, to send to the bureaus.</translation>
    </message>
    <message>
        <source>保存模板到文件夹…</source>
        <translation>Save templates to a folder…</translation>
    </message>
    <message>
        <source>您没有导入数据的权限。导入由预算工作委员会工作人员办理。</source>
        <translation>You may not import data. Imports are done by the Budget Working Committee staff.</translation>
    </message>
    <message>
        <source>导入文件</source>
        <translation>Import a file</translation>
    </message>
    <message>
        <source>选择要导入的文件</source>
        <translation>Choose the file to import</translation>
    </message>
    <message>
        <source>表格文件 (*.csv *.xlsx)</source>
        <translation>Spreadsheets (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>找不到文件“%1”。请重新选择。</source>
        <translation>File “%1” not found. Please choose again.</translation>
    </message>
    <message>
        <source>检查</source>
        <translation>Checking</translation>
    </message>
    <message>
        <source>写入</source>
        <translation>Writing</translation>
    </message>
    <message>
        <source>正在导入“%1”……</source>
        <translation>Importing “%1”…</translation>
    </message>
    <message>
        <source>正在读取文件</source>
        <translation>Reading the file</translation>
    </message>
    <message>
        <source>“%1”导入完成：共 %2 行，新增 %3 行，更新 %4 行，%5 行与已导入的相同未作改动。</source>
        <translation>“%1” imported: %2 rows, %3 new, %4 updated, %5 the same as already imported and left alone.</translation>
    </message>
    <message>
        <source>“%1”有 %2 处问题，整个文件没有导入。请按下表改正后重新导入，或复制、另存后转告报送单位。</source>
        <translation>“%1” has %2 problems; nothing of it was imported. Correct them as listed and import again, or copy or save the list for the bureau.</translation>
    </message>
    <message>
        <source>导入已取消，没有写入任何数据。</source>
        <translation>Import cancelled; nothing was written.</translation>
    </message>
    <message>
        <source>已把 %1 个模板文件保存到 %2。</source>
        <translation>Saved %1 template files to %2.</translation>
    </message>
    <message>
        <source>选择保存模板的文件夹</source>
        <translation>Choose a folder for the templates</translation>
    </message>
</context>
<context>
    <name>ImportHistoryPanel</name>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>文件类别</source>
        <translation>Kind of file</translation>
    </message>
    <message>
        <source>文件名</source>
        <translation>File name</translation>
    </message>
    <message>
        <source>行数</source>
        <translation>Rows</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>未变</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <source>还没有导入记录。导入文件、拉取接口或导入数据包后，每个文件都会在这里留下一条记录。</source>
        <translation>No imports yet. Every file imported, pulled or taken from a package leaves a line here.</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>最近 %1 次导入（最新的在前）</source>
        <translation>Latest %1 imports (newest first)</translation>
    </message>
    <message>
        <source>导入记录</source>
        <translation>Import history</translation>
    </message>
</context>
<context>
    <name>ProblemsTable</name>
    <message>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>怎么改</source>
        <translation>What to do</translation>
    </message>
    <message>
        <source>复制全部问题</source>
        <translation>Copy all problems</translation>
    </message>
    <message>
        <source>问题另存为表格…</source>
        <translation>Save problems as a spreadsheet…</translation>
    </message>
    <message>
        <source>问题另存为</source>
        <translation>Save problems as</translation>
    </message>
    <message>
        <source>导入问题.csv</source>
        <translation>import-problems.csv</translation>
    </message>
    <message>
        <source>表格 (*.csv)</source>
        <translation>Spreadsheet (*.csv)</translation>
    </message>
</context>
<context>
    <name>TaskStrip</name>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在取消……</source>
        <translation>Cancelling…</translation>
    </message>
</context>
</TS>
