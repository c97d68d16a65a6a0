<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <source>万元</source>
        <translation>10k yuan</translation>
    </message>
    <message>
        <source>多个词用顿号或逗号分开</source>
        <translation>Separate words with commas</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>预警处理：%1</source>
        <translation>Warning follow-up: %1</translation>
    </message>
    <message>
        <source>填写说明，例如发函文号、部门答复要点或关闭理由</source>
        <translation>Write a note, e.g. the letter&apos;s number, the gist of the department&apos;s answer or why it is closed</translation>
    </message>
    <message>
        <source>说明：</source>
        <translation>Note:</translation>
    </message>
</context>
<context>
    <name>RuleBox</name>
    <message>
        <source>启用</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <source>预警等级</source>
        <translation>Warning level</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>Basis</translation>
    </message>
</context>
<context>
    <name>WarningInboxPage</name>
    <message>
        <source> 月</source>
        <translation> </translation>
    </message>
    <message>
        <source>截至 </source>
        <translation>Up to month </translation>
    </message>
    <message>
        <source>立即运行预警规则</source>
        <translation>Run warning rules now</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>全部规则</source>
        <translation>All rules</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>全部部门</source>
        <translation>All departments</translation>
    </message>
    <message>
        <source>在办预警</source>
        <translation>Open warnings</translation>
    </message>
    <message>
        <source>已解除</source>
        <translation>Retired</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>搜索原因、对象或部门</source>
        <translation>Search reason, subject or department</translation>
    </message>
    <message>
        <source>规则</source>
        <translation>Rule</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>范围</source>
        <translation>Range</translation>
    </message>
    <message>
        <source>导出 Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <source>把列表中的预警（当前筛选条件下）导出为 Excel 工作簿</source>
        <translation>Export the listed warnings (under the current filters) to an Excel workbook</translation>
    </message>
    <message>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>金额（万元）</source>
        <translation>Amount (10k)</translation>
    </message>
    <message>
        <source>预警日期</source>
        <translation>Raised on</translation>
    </message>
    <message>
        <source>预警信息</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>收款人或对象</source>
        <translation>Payee or subject</translation>
    </message>
    <message>
        <source>用途或说明</source>
        <translation>Purpose or note</translation>
    </message>
    <message>
        <source>预警依据的记录（双击在查询中打开）：</source>
        <translation>Records behind the warning (double-click to open in the query view):</translation>
    </message>
    <message>
        <source>处理记录：</source>
        <translation>Follow-up history:</translation>
    </message>
    <message>
        <source>读取预警失败：%1</source>
        <translation>Could not read the warnings: %1</translation>
    </message>
    <message>
        <source>%1（已解除）</source>
        <translation>%1 (retired)</translation>
    </message>
    <message>
        <source>没有符合筛选条件的预警。请放宽筛选条件。</source>
        <translation>No warnings match the filters. Try wider filters.</translation>
    </message>
    <message>
        <source>%1 年暂无在办预警。
点击“立即运行预警规则”，按当前阈值检查预算执行和支付明细。</source>
        <translation>No open warnings for %1.
Click &quot;Run warning rules now&quot; to check budget execution and payments against the current thresholds.</translation>
    </message>
    <message>
        <source>%1 年暂无本委员会联系部门的预警。预工委运行预警规则后，预警会同步到这里。</source>
        <translation>No warnings for your committee&apos;s departments in %1. Warnings arrive here by sync after the budget committee runs the rules.</translation>
    </message>
    <message>
        <source>%1预警 %2</source>
        <translation>%1 warnings %2</translation>
    </message>
    <message>
        <source>选择一条预警查看详情</source>
        <translation>Select a warning to see its details</translation>
    </message>
    <message>
        <source>左侧列表中选择预警后，这里显示预警原因、依据的支付或指标记录，以及发函、答复、关闭等处理记录。</source>
        <translation>Select a warning on the left to see its reason, the payments or indicators behind it, and its follow-up: letters, answers, closing.</translation>
    </message>
    <message>
        <source>%1，异常已消失，预警已解除</source>
        <translation>%1; the anomaly is gone and the warning retired</translation>
    </message>
    <message>
        <source>状态：%1；截至 %2 月的数据</source>
        <translation>Status: %1; data up to month %2</translation>
    </message>
    <message>
        <source>尚未处理</source>
        <translation>No follow-up yet</translation>
    </message>
    <message>
        <source>已%1：%2</source>
        <translation>Done (%1): %2</translation>
    </message>
    <message>
        <source>处理失败：%1</source>
        <translation>Follow-up failed: %1</translation>
    </message>
    <message>
        <source>%1 年预警信息，导出时的筛选：%2；金额单位：万元</source>
        <translation>Warnings of %1, filters at export: %2; amounts in 10,000 yuan</translation>
    </message>
    <message>
        <source>%1年预警信息.xlsx</source>
        <translation>Warnings %1.xlsx</translation>
    </message>
    <message>
        <source>已导出 %1 条预警到 %2</source>
        <translation>Exported %1 warnings to %2</translation>
    </message>
    <message>
        <source>导出失败，没有写入文件：%1</source>
        <translation>Export failed, no file written: %1</translation>
    </message>
    <message>
        <source>预警规则已运行：在办预警 %1 条，新增 %2 条，更新 %3 条，解除 %4 条，用时 %5 秒</source>
        <translation>Rules run: %1 open warnings, %2 new, %3 updated, %4 retired, in %5 s</translation>
    </message>
    <message>
        <source>已取消，预警未更新</source>
        <translation>Cancelled; the warnings were not changed</translation>
    </message>
    <message>
        <source>运行预警规则失败：%1</source>
        <translation>Running the rules failed: %1</translation>
    </message>
</context>
<context>
    <name>WarningNames</name>
    <message>
        <source>红色</source>
        <translation>Red</translation>
    </message>
    <message>
        <source>黄色</source>
        <translation>Yellow</translation>
    </message>
    <message>
        <source>蓝色</source>
        <translation>Blue</translation>
    </message>
    <message>
        <source>待处理</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>已发函</source>
        <translation>Letter sent</translation>
    </message>
    <message>
        <source>已答复</source>
        <translation>Answered</translation>
    </message>
    <message>
        <source>已关闭</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>发函</source>
        <translation>Send letter</translation>
    </message>
    <message>
        <source>答复</source>
        <translation>Record answer</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>重新打开</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>预算执行低于序时进度</source>
        <translation>Execution behind time progress</translation>
    </message>
    <message>
        <source>年末突击支出</source>
        <translation>Year-end spending spike</translation>
    </message>
    <message>
        <source>无预算支付</source>
        <translation>Payment without budget</translation>
    </message>
    <message>
        <source>超预算支付</source>
        <translation>Payment above budget</translation>
    </message>
    <message>
        <source>大额异常支付</source>
        <translation>Unusually large payment</translation>
    </message>
    <message>
        <source>现金支付或提现</source>
        <translation>Cash payment or withdrawal</translation>
    </message>
    <message>
        <source>可疑收款人或用途</source>
        <translation>Suspicious payee or purpose</translation>
    </message>
    <message>
        <source>资金闲置</source>
        <translation>Idle funds</translation>
    </message>
    <message>
        <source>结转结余过大</source>
        <translation>Large carry-over</translation>
    </message>
    <message>
        <source>三公经费增长</source>
        <translation>Growth of the &quot;three public&quot; expenses</translation>
    </message>
    <message>
        <source>预算调整幅度过大</source>
        <translation>Large budget adjustment</translation>
    </message>
    <message>
        <source>动用预备费</source>
        <translation>Use of the reserve fund</translation>
    </message>
    <message>
        <source>截至所查月份的支出占可用预算（下达＋调整＋上年结转）的比例，低于序时进度超过阈值</source>
        <translation>Spending to date as a share of the available budget (issued + adjusted + carried over) is behind time progress by more than the threshold</translation>
    </message>
    <message>
        <source>低于序时进度（百分点）</source>
        <translation>Behind time progress (percentage points)</translation>
    </message>
    <message>
        <source>最低可用预算（万元）</source>
        <translation>Minimum available budget (10k yuan)</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
    <message>
        <source>按项目</source>
        <translation>By project</translation>
    </message>
    <message>
        <source>按功能分类</source>
        <translation>By functional class</translation>
    </message>
    <message>
        <source>执行率比序时进度低多少个百分点时预警</source>
        <translation>Warn when the execution rate is this many points behind time progress</translation>
    </message>
    <message>
        <source>可用预算低于此数的不预警</source>
        <translation>No warning below this available budget</translation>
    </message>
    <message>
        <source>12 月或四季度支出占全年支出的比例过高（只在查看 12 月时判断）</source>
        <translation>Too large a share of the year&apos;s spending in December or Q4 (judged only up to December)</translation>
    </message>
    <message>
        <source>12 月支出占全年（%）</source>
        <translation>December share of the year (%)</translation>
    </message>
    <message>
        <source>四季度支出占全年（%）</source>
        <translation>Q4 share of the year (%)</translation>
    </message>
    <message>
        <source>最低全年支出（万元）</source>
        <translation>Minimum spending in the year (10k yuan)</translation>
    </message>
    <message>
        <source>支付没有预算指标，或指标号在本年度指标中不存在</source>
        <translation>A payment with no budget indicator, or with an indicator number unknown in the year</translation>
    </message>
    <message>
        <source>最低金额（万元）</source>
        <translation>Minimum amount (10k yuan)</translation>
    </message>
    <message>
        <source>指标的累计支付超过可用额（下达＋调整＋上年结转）</source>
        <translation>An indicator&apos;s payments exceed what may be spent (issued + adjusted + carried over)</translation>
    </message>
    <message>
        <source>允许超出（%）</source>
        <translation>Tolerance (%)</translation>
    </message>
    <message>
        <source>单笔支付达到同类支付参照金额的若干倍（参照金额：除金额最大的几组支付外，同类支付中的最大单笔）</source>
        <translation>A payment several times the reference amount of comparable payments (the largest single payment once the largest groups are set aside)</translation>
    </message>
    <message>
        <source>超过参照金额的倍数</source>
        <translation>Times the reference amount</translation>
    </message>
    <message>
        <source>计算参照时剔除的最大支付组数</source>
        <translation>Largest groups set aside for the reference</translation>
    </message>
    <message>
        <source>同类支付</source>
        <translation>Comparable payments</translation>
    </message>
    <message>
        <source>同类支付至少笔数</source>
        <translation>Minimum comparable payments</translation>
    </message>
    <message>
        <source>同一经济分类</source>
        <translation>Same economic class</translation>
    </message>
    <message>
        <source>同一部门</source>
        <translation>Same department</translation>
    </message>
    <message>
        <source>同一功能分类</source>
        <translation>Same functional class</translation>
    </message>
    <message>
        <source>同一指标同一月份的支付为一组；剔除金额最大的几组，防止异常值抬高参照金额</source>
        <translation>Payments of one indicator in one month form a group; the largest groups are set aside so outliers cannot raise the reference</translation>
    </message>
    <message>
        <source>以现金方式支付，或用途为提取现金</source>
        <translation>Paid in cash, or the purpose is a cash withdrawal</translation>
    </message>
    <message>
        <source>用途关键词</source>
        <translation>Purpose keywords</translation>
    </message>
    <message>
        <source>收款人为个人，或用途涉及购物卡、礼品、宴请等</source>
        <translation>Paid to a person, or for shopping cards, gifts, banquets and the like</translation>
    </message>
    <message>
        <source>收款人关键词</source>
        <translation>Payee keywords</translation>
    </message>
    <message>
        <source>把短人名视为个人</source>
        <translation>Treat short names as persons</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>指标下达已久，支付比例仍很低</source>
        <translation>Indicator issued long ago, little or nothing paid</translation>
    </message>
    <message>
        <source>下达后天数</source>
        <translation>Days since issue</translation>
    </message>
    <message>
        <source>支付不超过（%）</source>
        <translation>Paid at most (%)</translation>
    </message>
    <message>
        <source>最低可用额（万元）</source>
        <translation>Minimum available (10k yuan)</translation>
    </message>
    <message>
        <source>上年结转占比大、本年执行慢，预计年末结转结余过大</source>
        <translation>Large carry-over from last year and slow spending: a large balance expected at year end</translation>
    </message>
    <message>
        <source>上年结转占可用（%）</source>
        <translation>Carried over, share of available (%)</translation>
    </message>
    <message>
        <source>预计年末结余占可用（%）</source>
        <translation>Expected year-end balance, share of available (%)</translation>
    </message>
    <message>
        <source>最低结余金额（万元）</source>
        <translation>Minimum balance (10k yuan)</translation>
    </message>
    <message>
        <source>部门三公经费（因公出国（境）、公务接待、公务用车运行维护）比上年决算增长超过阈值</source>
        <translation>A department&apos;s &quot;three public&quot; expenses (trips abroad, receptions, official cars) grew over last year&apos;s final accounts by more than the threshold</translation>
    </message>
    <message>
        <source>比上年增长超过（%）</source>
        <translation>Growth over last year above (%)</translation>
    </message>
    <message>
        <source>三公经费经济分类</source>
        <translation>Economic codes of the three public expenses</translation>
    </message>
    <message>
        <source>上年决算至少（万元）</source>
        <translation>Last year&apos;s final accounts at least (10k yuan)</translation>
    </message>
    <message>
        <source>部门在预备费功能分类科目（227）上有支出</source>
        <translation>A department spent on the reserve-fund functional codes (227)</translation>
    </message>
    <message>
        <source>预备费功能分类</source>
        <translation>Reserve-fund functional codes</translation>
    </message>
    <message>
        <source>指标累计调增、调减的金额占年初下达金额的比例过大</source>
        <translation>An indicator&apos;s increases and cuts add up to a large share of the amount first issued</translation>
    </message>
    <message>
        <source>调整占下达（%）</source>
        <translation>Adjustments, share of issued (%)</translation>
    </message>
    <message>
        <source>最低调整金额（万元）</source>
        <translation>Minimum adjustment (10k yuan)</translation>
    </message>
    <message>
        <source>%1 付 %2 %3</source>
        <translation>%1 paid to %2, %3</translation>
    </message>
    <message>
        <source>支付单号 %1</source>
        <translation>Payment no. %1</translation>
    </message>
    <message>
        <source>支付</source>
        <translation>Payment</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Project</translation>
    </message>
</context>
<context>
    <name>WarningRulesPage</name>
    <message>
        <source>阈值修改后，下次运行预警规则时生效。金额以万元为单位，百分比以 % 为单位。</source>
        <translation>Changed thresholds apply from the next run. Amounts are in 10k yuan, percentages in %.</translation>
    </message>
    <message>
        <source>您可以查看预警规则和阈值；只有预工委工作人员可以修改。</source>
        <translation>You can view the rules and thresholds; only budget committee staff can change them.</translation>
    </message>
    <message>
        <source>保存全部规则</source>
        <translation>Save all rules</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>预警规则</source>
        <translation>Warning rules</translation>
    </message>
    <message>
        <source>您没有修改预警规则的权限</source>
        <translation>You may not change the warning rules</translation>
    </message>
    <message>
        <source>“%1”：%2</source>
        <translation>&quot;%1&quot;: %2</translation>
    </message>
    <message>
        <source>预警规则已保存，下次运行预警规则时生效</source>
        <translation>Warning rules saved; they apply from the next run</translation>
    </message>
    <message>
        <source>保存失败：%1</source>
        <translation>Saving failed: %1</translation>
    </message>
</context>
</TS>
