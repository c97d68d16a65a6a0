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
        <source>本机没有%1年的支付明细，无法分析执行情况。</source>
        <translation>This computer holds no payment detail for %1, so execution cannot be analysed.</translation>
    </message>
    <message>
        <source>代表和专家只能看到公开的预算数据；执行明细同步到有权限的工作人员和专委会。</source>
        <translation>Deputies and experts see the published budget data only; execution detail is synced to authorised staff and special committees.</translation>
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
        <source>报告摘要</source>
        <translation>Report summary</translation>
    </message>
    <message>
        <source>生成报告后，这里显示报告的总体情况。</source>
        <translation>The report&apos;s summary shows here once it is generated.</translation>
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
</TS>
