<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AnalysisPage</name>
    <message>
        <source>低于序时进度</source>
        <translation>Behind time progress</translation>
    </message>
    <message>
        <source>不低于序时进度</source>
        <translation>On or ahead of time progress</translation>
    </message>
    <message>
        <source>预算执行分析</source>
        <translation>Budget execution analysis</translation>
    </message>
    <message>
        <source>%1 年截至 %2 月底；金额单位见各列标题</source>
        <translation>Year %1, to the end of month %2; units of amounts as in each column heading</translation>
    </message>
    <message>
        <source>没有可导出的表格</source>
        <translation>No tables to export</translation>
    </message>
    <message>
        <source>%1年预算执行分析.xlsx</source>
        <translation>Budget execution analysis %1.xlsx</translation>
    </message>
    <message>
        <source>已导出 %1 张表到 %2</source>
        <translation>Exported %1 tables to %2</translation>
    </message>
    <message>
        <source>导出失败，没有写入文件：%1</source>
        <translation>Export failed, no file written: %1</translation>
    </message>
    <message>
        <source>截至</source>
        <translation>As of</translation>
    </message>
    <message>
        <source>%1月底</source>
        <translation>end of month %1</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>导出 Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <source>把各页的分析表格导出为一个 Excel 工作簿，每张表一页</source>
        <translation>Export the analysis tables of every tab to one Excel workbook, one sheet per table</translation>
    </message>
    <message>
        <source>执行进度</source>
        <translation>Execution</translation>
    </message>
    <message>
        <source>同比</source>
        <translation>Year on year</translation>
    </message>
    <message>
        <source>结构</source>
        <translation>Structure</translation>
    </message>
    <message>
        <source>趋势</source>
        <translation>Trend</translation>
    </message>
    <message>
        <source>排名</source>
        <translation>Rankings</translation>
    </message>
    <message>
        <source>部门画像</source>
        <translation>Department profile</translation>
    </message>
    <message>
        <source>公开数据</source>
        <translation>Public data</translation>
    </message>
    <message>
        <source>按</source>
        <translation>By</translation>
    </message>
    <message>
        <source>功能分类（类）</source>
        <translation>Functional class</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>四本预算</source>
        <translation>The four budget books</translation>
    </message>
    <message>
        <source>支出结构按</source>
        <translation>Spending structure by</translation>
    </message>
    <message>
        <source>经济分类（类）</source>
        <translation>Economic class</translation>
    </message>
    <message>
        <source>预算</source>
        <translation>Budget book</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <source>执行率</source>
        <translation>Execution rate</translation>
    </message>
    <message>
        <source>支出金额</source>
        <translation>Amount paid</translation>
    </message>
    <message>
        <source>调整预算</source>
        <translation>Adjusted budget</translation>
    </message>
    <message>
        <source>同比增长</source>
        <translation>Growth on last year</translation>
    </message>
    <message>
        <source>从高到低</source>
        <translation>Highest first</translation>
    </message>
    <message>
        <source>从低到高</source>
        <translation>Lowest first</translation>
    </message>
    <message>
        <source>输入部门名称或代码</source>
        <translation>Type a department name or code</translation>
    </message>
    <message>
        <source>请选择一个部门，查看它的预算、执行、月度曲线、主要项目、预警和审计整改情况。</source>
        <translation>Choose a department to see its budget, execution, monthly curve, main projects, warnings and audit rectification.</translation>
    </message>
    <message>
        <source>主要项目（按调整预算）</source>
        <translation>Main projects (by adjusted budget)</translation>
    </message>
    <message>
        <source>审计查出问题及整改</source>
        <translation>Audit findings and rectification</translation>
    </message>
    <message>
        <source>正在计算…</source>
        <translation>Calculating…</translation>
    </message>
    <message>
        <source>计算失败：%1</source>
        <translation>Calculation failed: %1</translation>
    </message>
    <message>
        <source>公开预算分析</source>
        <translation>Public budget analysis</translation>
    </message>
    <message>
        <source>本机还没有%1年的预算数据。</source>
        <translation>This computer holds no budget data for %1 yet.</translation>
    </message>
    <message>
        <source>同步后即可查看公开的预算、税收、社保基金和国有资产数据。</source>
        <translation>Once synchronised, the public budget, tax, social-insurance fund and state-asset figures show here.</translation>
    </message>
    <message>
        <source>本机没有支付明细，显示公开预算数据</source>
        <translation>No payment detail on this computer: showing the public budget</translation>
    </message>
    <message>
        <source>范围：%1专委会归口部门（不是全市总数）</source>
        <translation>Scope: departments of the %1 committee(s), not the city total</translation>
    </message>
    <message>
        <source>支付明细只到%1月</source>
        <translation>Payment detail only up to month %1</translation>
    </message>
    <message>
        <source>执行率与序时进度（截至%1月底）</source>
        <translation>Execution rate against time progress (end of month %1)</translation>
    </message>
    <message>
        <source>：执行率最低的 %1 个</source>
        <translation>: the %1 lowest</translation>
    </message>
    <message>
        <source>序时进度 %1%</source>
        <translation>Time progress %1%</translation>
    </message>
    <message>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>年初预算（亿元）</source>
        <translation>Original budget (100 m yuan)</translation>
    </message>
    <message>
        <source>调整预算（亿元）</source>
        <translation>Adjusted budget (100 m yuan)</translation>
    </message>
    <message>
        <source>累计支出（亿元）</source>
        <translation>Paid to date (100 m yuan)</translation>
    </message>
    <message>
        <source>序时进度</source>
        <translation>Time progress</translation>
    </message>
    <message>
        <source>差异（百分点）</source>
        <translation>Gap (points)</translation>
    </message>
    <message>
        <source>无明细</source>
        <translation>No detail</translation>
    </message>
    <message>
        <source>口径：%1</source>
        <translation>Basis: %1</translation>
    </message>
    <message>
        <source>导入上年支付明细或决算后即可比较。</source>
        <translation>Import last year&apos;s payments or final accounts to compare.</translation>
    </message>
    <message>
        <source>同比增幅（%）</source>
        <translation>Growth on last year (%)</translation>
    </message>
    <message>
        <source>增幅</source>
        <translation>Growth</translation>
    </message>
    <message>
        <source>本年（万元）</source>
        <translation>This year (10,000 yuan)</translation>
    </message>
    <message>
        <source>上年（万元）</source>
        <translation>Last year (10,000 yuan)</translation>
    </message>
    <message>
        <source>支出占比（截至%1月底）</source>
        <translation>Share of spending (end of month %1)</translation>
    </message>
    <message>
        <source>占比</source>
        <translation>Share</translation>
    </message>
    <message>
        <source>%1月</source>
        <translation>M%1</translation>
    </message>
    <message>
        <source>一般公共预算，按月支出与累计执行率</source>
        <translation>General public budget: monthly spending and cumulative execution</translation>
    </message>
    <message>
        <source>各月支出（亿元）</source>
        <translation>Spending per month (100 m yuan)</translation>
    </message>
    <message>
        <source>当月支出</source>
        <translation>Spent in month</translation>
    </message>
    <message>
        <source>累计执行率与序时进度</source>
        <translation>Cumulative execution against time progress</translation>
    </message>
    <message>
        <source>累计执行率</source>
        <translation>Cumulative execution rate</translation>
    </message>
    <message>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>当月支出（亿元）</source>
        <translation>Spent in month (100 m yuan)</translation>
    </message>
    <message>
        <source>部门同比增幅排名</source>
        <translation>Departments ranked by growth on last year</translation>
    </message>
    <message>
        <source>名次</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>排名（前 %1）</source>
        <translation> ranking (top %1)</translation>
    </message>
    <message>
        <source>调整预算（万元）</source>
        <translation>Adjusted budget (10,000 yuan)</translation>
    </message>
    <message>
        <source>累计支出（万元）</source>
        <translation>Paid to date (10,000 yuan)</translation>
    </message>
    <message>
        <source>&#x3000;归口专委会：%1</source>
        <translation>  Special committee: %1</translation>
    </message>
    <message>
        <source>年初预算 %1 亿元，调整预算 %2 亿元，截至%3月底支出 %4 亿元</source>
        <translation>Original budget %1, adjusted budget %2, paid by the end of month %3: %4 (100 m yuan)</translation>
    </message>
    <message>
        <source>执行率 %1，序时进度 %2，差异 %3 个百分点</source>
        <translation>Execution rate %1, time progress %2, gap %3 points</translation>
    </message>
    <message>
        <source>有效预警：红色 %1 条，黄色 %2 条，蓝色 %3 条</source>
        <translation>Active warnings: red %1, yellow %2, blue %3</translation>
    </message>
    <message>
        <source>审计查出问题 %1 个，涉及 %2 万元，已整改 %3 万元</source>
        <translation>Audit findings: %1, amount %2, rectified %3 (10,000 yuan)</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>金额（万元）</source>
        <translation>Amount (10,000 yuan)</translation>
    </message>
    <message>
        <source>整改</source>
        <translation>Rectification</translation>
    </message>
    <message>
        <source>已整改（万元）</source>
        <translation>Rectified (10,000 yuan)</translation>
    </message>
</context>
<context>
    <name>ExecutionReportPage</name>
    <message>
        <source>智能执行报告</source>
        <translation>Execution report</translation>
    </message>
    <message>
        <source>按月或按季度生成预算执行情况报告：总体情况的文字说明、四本预算和功能分类执行表、月度趋势图、低于序时进度的部门、主要收款单位和有效预警。</source>
        <translation>Generate the monthly or quarterly budget execution report: a summary in words, execution tables by book and functional class, monthly trend charts, departments behind time progress, main payees and active warnings.</translation>
    </message>
    <message>
        <source>月度报告</source>
        <translation>Monthly report</translation>
    </message>
    <message>
        <source>季度报告</source>
        <translation>Quarterly report</translation>
    </message>
    <message>
        <source> 年</source>
        <translation> </translation>
    </message>
    <message>
        <source>Word（可编辑）</source>
        <translation>Word (editable)</translation>
    </message>
    <message>
        <source>选择文件夹…</source>
        <translation>Choose folder…</translation>
    </message>
    <message>
        <source>生成报告</source>
        <translation>Generate report</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>打印预览，可选打印机或另存为 PDF</source>
        <translation>Print preview: choose a printer or save as PDF</translation>
    </message>
    <message>
        <source>报告预览</source>
        <translation>Report preview</translation>
    </message>
    <message>
        <source>报告摘要</source>
        <translation>Report summary</translation>
    </message>
    <message>
        <source>生成报告后，这里显示报告的总体情况。</source>
        <translation>The report&apos;s summary shows here once it is generated.</translation>
    </message>
    <message>
        <source>生成报告后，这里显示报告的样子，与打印出来的一样。</source>
        <translation>After the report is generated, it is shown here exactly as it will print.</translation>
    </message>
    <message>
        <source>报告类型</source>
        <translation>Report type</translation>
    </message>
    <message>
        <source>报告期</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>格式</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>保存到</source>
        <translation>Save to</translation>
    </message>
    <message>
        <source>第一季度</source>
        <translation>First quarter</translation>
    </message>
    <message>
        <source>第二季度</source>
        <translation>Second quarter</translation>
    </message>
    <message>
        <source>第三季度</source>
        <translation>Third quarter</translation>
    </message>
    <message>
        <source>第四季度</source>
        <translation>Fourth quarter</translation>
    </message>
    <message>
        <source>%1月</source>
        <translation>Month %1</translation>
    </message>
    <message>
        <source>选择保存报告的文件夹</source>
        <translation>Choose the folder for the report</translation>
    </message>
    <message>
        <source>请至少选择一种格式（PDF 或 Word）。</source>
        <translation>Choose at least one format (PDF or Word).</translation>
    </message>
    <message>
        <source>请选择保存报告的文件夹。</source>
        <translation>Choose the folder to save the report in.</translation>
    </message>
    <message>
        <source>“%1”不是文件夹，请另选保存位置。</source>
        <translation>&quot;%1&quot; is not a folder; choose another place.</translation>
    </message>
    <message>
        <source>正在生成%1的报告…</source>
        <translation>Generating the report for %1…</translation>
    </message>
    <message>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>正在生成：%1</source>
        <translation>Generating: %1</translation>
    </message>
    <message>
        <source>报告已生成，共 %1 个文件。双击文件名或点“打开”查看。</source>
        <translation>Report generated: %1 file(s). Double-click a file name or press Open to view it.</translation>
    </message>
    <message>
        <source>这次只生成了 Word 文件。勾选“PDF”再生成，即可在这里预览并打印。</source>
        <translation>Only the Word file was generated this time. Tick “PDF” and generate again to preview and print it here.</translation>
    </message>
    <message>
        <source>预算执行报告 — %1</source>
        <translation>Budget execution report — %1</translation>
    </message>
    <message>
        <source>找不到已生成的 PDF 文件“%1”，请重新生成。</source>
        <translation>The generated PDF file “%1” cannot be found. Please generate the report again.</translation>
    </message>
    <message>
        <source>已取消，没有留下未完成的文件。</source>
        <translation>Cancelled; no unfinished file was left behind.</translation>
    </message>
    <message>
        <source>生成失败：%1</source>
        <translation>Generation failed: %1</translation>
    </message>
</context>
<context>
    <name>IndicatorTimelinePage</name>
    <message>
        <source>指标管理：指标全过程</source>
        <translation>Indicator management: an indicator&apos;s whole life</translation>
    </message>
    <message>
        <source>输入指标编号、文号、项目或部门</source>
        <translation>Indicator number, document, project or department</translation>
    </message>
    <message>
        <source>查找</source>
        <translation>Find</translation>
    </message>
    <message>
        <source>输入指标编号、项目或部门名称查找指标，选中后查看它从下达、调整、用款计划、支付申请、支付到结转的全过程。</source>
        <translation>Find an indicator by number, project or department name, then follow it from issue, adjustment, spending plans and payment applications to payments and carry-over.</translation>
    </message>
    <message>
        <source>下达</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>上年结转</source>
        <translation>Carried in</translation>
    </message>
    <message>
        <source>调整</source>
        <translation>Adjusted</translation>
    </message>
    <message>
        <source>用款计划</source>
        <translation>Spending plan</translation>
    </message>
    <message>
        <source>支付申请</source>
        <translation>Payment application</translation>
    </message>
    <message>
        <source>支付</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>年末结转</source>
        <translation>Carried forward</translation>
    </message>
    <message>
        <source>请输入要查找的指标编号、项目或部门。</source>
        <translation>Type an indicator number, project or department to find.</translation>
    </message>
    <message>
        <source>指标编号</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <source>金额（万元）</source>
        <translation>Amount (10,000 yuan)</translation>
    </message>
    <message>
        <source>没有找到与“%1”相符的指标。</source>
        <translation>No indicator matches &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>读取指标失败：%1</source>
        <translation>Could not read the indicator: %1</translation>
    </message>
    <message>
        <source>文号 %1，下达 %2 万元，调整 %3 万元，上年结转 %4 万元；已支付 %5 万元，余额 %6 万元</source>
        <translation>Document %1; issued %2, adjusted %3, carried in %4; paid %5, balance %6 (10,000 yuan)</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>笔数</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>文号</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>可用余额（万元）</source>
        <translation>Available (10,000 yuan)</translation>
    </message>
    <message>
        <source>累计计划（万元）</source>
        <translation>Planned to date (10,000 yuan)</translation>
    </message>
    <message>
        <source>累计申请（万元）</source>
        <translation>Applied to date (10,000 yuan)</translation>
    </message>
    <message>
        <source>累计支付（万元）</source>
        <translation>Paid to date (10,000 yuan)</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>指标下达</source>
        <translation>Indicator issued</translation>
    </message>
    <message>
        <source>指标调整</source>
        <translation>Indicator adjusted</translation>
    </message>
    <message>
        <source>资金支付</source>
        <translation>Payment</translation>
    </message>
    <message>
        <source>%1月</source>
        <translation>M%1</translation>
    </message>
</context>
<context>
    <name>PublicAnalysisPanel</name>
    <message>
        <source>一般公共预算</source>
        <translation>General public budget</translation>
    </message>
    <message>
        <source>政府性基金预算</source>
        <translation>Government fund budget</translation>
    </message>
    <message>
        <source>国有资本经营预算</source>
        <translation>State capital operation budget</translation>
    </message>
    <message>
        <source>社会保险基金预算</source>
        <translation>Social insurance fund budget</translation>
    </message>
    <message>
        <source>公开预算概览</source>
        <translation>Budget overview</translation>
    </message>
    <message>
        <source>支出结构</source>
        <translation>Spending structure</translation>
    </message>
    <message>
        <source>三公经费</source>
        <translation>Three public expenses</translation>
    </message>
    <message>
        <source>税收收入</source>
        <translation>Tax revenue</translation>
    </message>
    <message>
        <source>社保基金</source>
        <translation>Social insurance funds</translation>
    </message>
    <message>
        <source>国有资产</source>
        <translation>State assets</translation>
    </message>
    <message>
        <source>部门排名</source>
        <translation>Department ranking</translation>
    </message>
    <message>
        <source>按功能分类（类）</source>
        <translation>By functional class</translation>
    </message>
    <message>
        <source>按功能分类（款）</source>
        <translation>By functional subclass</translation>
    </message>
    <message>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
    <message>
        <source>按支出类别</source>
        <translation>By spending category</translation>
    </message>
    <message>
        <source>按项目（出国、接待、公车）</source>
        <translation>By item (travel abroad, receptions, official cars)</translation>
    </message>
    <message>
        <source>按月累计</source>
        <translation>Cumulative by month</translation>
    </message>
    <message>
        <source>按税种</source>
        <translation>By tax</translation>
    </message>
    <message>
        <source>数据来源：市人民代表大会批准的预算、上年决算和主管部门公开发布的数据（公开数据），不含指标、用款计划和支付明细。</source>
        <translation>Source: the budget approved by the Municipal People&apos;s Congress, last year&apos;s final accounts and figures published by the competent authorities (public data); no indicators, spending plans or payment detail.</translation>
    </message>
    <message>
        <source>%1年四本预算（公开数据）</source>
        <translation>The four budget books of %1 (public data)</translation>
    </message>
    <message>
        <source>：一般公共预算收入 %1 亿元，支出预算 %2 亿元，执行 %3 亿元，执行率 %4。</source>
        <translation>: general public budget revenue %1, spending budget %2, executed %3 (100 m yuan), execution rate %4.</translation>
    </message>
    <message>
        <source>本机还没有%1年四本预算的公开数据。</source>
        <translation>This computer holds no published figures of the four books for %1 yet.</translation>
    </message>
    <message>
        <source>四本预算的调整预算（亿元）</source>
        <translation>Adjusted budget of the four books (100 m yuan)</translation>
    </message>
    <message>
        <source>调整预算</source>
        <translation>Adjusted budget</translation>
    </message>
    <message>
        <source>四本预算的执行率（%）</source>
        <translation>Execution rate of the four books (%)</translation>
    </message>
    <message>
        <source>执行率（执行数 ÷ 调整预算）</source>
        <translation>Execution rate (executed ÷ adjusted budget)</translation>
    </message>
    <message>
        <source>预算</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>收入（亿元）</source>
        <translation>Revenue (100 m yuan)</translation>
    </message>
    <message>
        <source>年初预算（亿元）</source>
        <translation>Original budget (100 m yuan)</translation>
    </message>
    <message>
        <source>调整预算（亿元）</source>
        <translation>Adjusted budget (100 m yuan)</translation>
    </message>
    <message>
        <source>执行数（亿元）</source>
        <translation>Executed (100 m yuan)</translation>
    </message>
    <message>
        <source>执行率</source>
        <translation>Execution rate</translation>
    </message>
    <message>
        <source>%1年项目预算合计 %2 亿元，共 %3 个项目（年初预算，不是执行数）</source>
        <translation>Project budgets of %1: %2 (100 m yuan) in %3 projects (original budget, not execution)</translation>
    </message>
    <message>
        <source>预算占比（%）</source>
        <translation>Share of the budget (%)</translation>
    </message>
    <message>
        <source>：最大的 %1 个</source>
        <translation>: the %1 largest</translation>
    </message>
    <message>
        <source>占比</source>
        <translation>Share</translation>
    </message>
    <message>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>预算（亿元）</source>
        <translation>Budget (100 m yuan)</translation>
    </message>
    <message>
        <source>项目数</source>
        <translation>Projects</translation>
    </message>
    <message>
        <source>三公经费预算合计 %1 万元，上年决算 %2 万元，增幅 %3</source>
        <translation>Three public expenses: budget %1, last year&apos;s final accounts %2 (10,000 yuan), growth %3</translation>
    </message>
    <message>
        <source>三公经费预算合计 %1 万元；本机没有上年决算，无法比较</source>
        <translation>Three public expenses: budget %1 (10,000 yuan); no final accounts of last year on this computer to compare with</translation>
    </message>
    <message>
        <source>三公经费预算比上年决算增减（%）</source>
        <translation>Three public expenses: budget vs last year&apos;s final accounts (%)</translation>
    </message>
    <message>
        <source>：增幅最大的 %1 个</source>
        <translation>, top %1</translation>
    </message>
    <message>
        <source>增长</source>
        <translation>Increase</translation>
    </message>
    <message>
        <source>持平或下降</source>
        <translation>Flat or decrease</translation>
    </message>
    <message>
        <source>三公经费预算（万元）</source>
        <translation>Three public expenses budget (10,000 yuan)</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>本年预算（万元）</source>
        <translation>Budget this year (10,000 yuan)</translation>
    </message>
    <message>
        <source>上年决算（万元）</source>
        <translation>Final accounts last year (10,000 yuan)</translation>
    </message>
    <message>
        <source>增减（万元）</source>
        <translation>Change (10,000 yuan)</translation>
    </message>
    <message>
        <source>增幅</source>
        <translation>Growth</translation>
    </message>
    <message>
        <source>本机没有%1年的税收收入数据。</source>
        <translation>This computer holds no tax revenue figures for %1.</translation>
    </message>
    <message>
        <source>%1年1—%2月税收收入累计 %3 亿元</source>
        <translation>Tax revenue %1, months 1–%2: %3 (100 m yuan)</translation>
    </message>
    <message>
        <source>，同比 %1</source>
        <translation>, year on year %1</translation>
    </message>
    <message>
        <source>；本机没有上年数据，无法计算同比</source>
        <translation>; no figures of last year on this computer, so no year on year</translation>
    </message>
    <message>
        <source>%1月</source>
        <translation>M%1</translation>
    </message>
    <message>
        <source>税收收入按月累计（亿元）</source>
        <translation>Tax revenue to date by month (100 m yuan)</translation>
    </message>
    <message>
        <source>上年同期累计</source>
        <translation>Last year to date</translation>
    </message>
    <message>
        <source>本年累计</source>
        <translation>This year to date</translation>
    </message>
    <message>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>当月（亿元）</source>
        <translation>Month (100 m yuan)</translation>
    </message>
    <message>
        <source>累计（亿元）</source>
        <translation>To date (100 m yuan)</translation>
    </message>
    <message>
        <source>上年同期累计（亿元）</source>
        <translation>Last year to date (100 m yuan)</translation>
    </message>
    <message>
        <source>累计同比</source>
        <translation>Year on year to date</translation>
    </message>
    <message>
        <source>各税种占比（%）</source>
        <translation>Share of each tax (%)</translation>
    </message>
    <message>
        <source>科目代码</source>
        <translation>Revenue code</translation>
    </message>
    <message>
        <source>税种</source>
        <translation>Tax</translation>
    </message>
    <message>
        <source>上年同期（亿元）</source>
        <translation>Last year, same months (100 m yuan)</translation>
    </message>
    <message>
        <source>同比</source>
        <translation>Year on year</translation>
    </message>
    <message>
        <source>社会保险基金收入 %1 亿元，支出 %2 亿元，当年结余 %3 亿元</source>
        <translation>Social insurance funds: income %1, spending %2, balance of the year %3 (100 m yuan)</translation>
    </message>
    <message>
        <source>本机没有%1年的社会保险基金数据。</source>
        <translation>This computer holds no social insurance fund figures for %1.</translation>
    </message>
    <message>
        <source>各项基金收支比（收入 ÷ 支出，%）</source>
        <translation>Income against spending per fund (income ÷ spending, %)</translation>
    </message>
    <message>
        <source>收支平衡 100%</source>
        <translation>Break-even 100%</translation>
    </message>
    <message>
        <source>收不抵支</source>
        <translation>Spending above income</translation>
    </message>
    <message>
        <source>收入大于支出</source>
        <translation>Income above spending</translation>
    </message>
    <message>
        <source>基金</source>
        <translation>Fund</translation>
    </message>
    <message>
        <source>支出（亿元）</source>
        <translation>Spending (100 m yuan)</translation>
    </message>
    <message>
        <source>当年结余（亿元）</source>
        <translation>Balance of the year (100 m yuan)</translation>
    </message>
    <message>
        <source>收支比</source>
        <translation>Income ÷ spending</translation>
    </message>
    <message>
        <source>收支</source>
        <translation>Direction</translation>
    </message>
    <message>
        <source>金额（亿元）</source>
        <translation>Amount (100 m yuan)</translation>
    </message>
    <message>
        <source>国有资产：%1 户，资产总额 %2 亿元</source>
        <translation>State assets: %1 entities, total assets %2 (100 m yuan)</translation>
    </message>
    <message>
        <source>，负债总额 %1 亿元</source>
        <translation>, total liabilities %1 (100 m yuan)</translation>
    </message>
    <message>
        <source>本机没有%1年的国有资产数据。</source>
        <translation>This computer holds no state asset figures for %1.</translation>
    </message>
    <message>
        <source>各单位资产总额（亿元）</source>
        <translation>Total assets per entity (100 m yuan)</translation>
    </message>
    <message>
        <source>资产总额</source>
        <translation>Total assets</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>单位数</source>
        <translation>Entities</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Entity</translation>
    </message>
    <message>
        <source>资产总额（亿元）</source>
        <translation>Total assets (100 m yuan)</translation>
    </message>
    <message>
        <source>负债总额（亿元）</source>
        <translation>Total liabilities (100 m yuan)</translation>
    </message>
    <message>
        <source>资产负债率</source>
        <translation>Debt ratio</translation>
    </message>
    <message>
        <source>%1 个部门按年初项目预算排名（双击查看部门）</source>
        <translation>%1 departments ranked by original project budget (double-click to look at a department)</translation>
    </message>
    <message>
        <source>部门预算排名（前 %1，亿元）</source>
        <translation>Department budgets (top %1, 100 m yuan)</translation>
    </message>
    <message>
        <source>年初预算</source>
        <translation>Original budget</translation>
    </message>
    <message>
        <source>名次</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>归口专委会</source>
        <translation>Special committee</translation>
    </message>
    <message>
        <source>三公经费（万元）</source>
        <translation>Three public expenses (10,000 yuan)</translation>
    </message>
    <message>
        <source>上年预算（亿元）</source>
        <translation>Last year&apos;s budget (100 m yuan)</translation>
    </message>
</context>
</TS>
