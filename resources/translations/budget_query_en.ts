<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>BudgetQueryNames</name>
    <message>
        <source>预算账本</source>
        <translation>Budget book</translation>
    </message>
    <message>
        <source>功能分类（类）</source>
        <translation>Functional class</translation>
    </message>
    <message>
        <source>功能分类（款）</source>
        <translation>Functional section</translation>
    </message>
    <message>
        <source>功能分类（项）</source>
        <translation>Functional item</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>支付申请</source>
        <translation>Payment application</translation>
    </message>
    <message>
        <source>经济分类（类）</source>
        <translation>Economic class</translation>
    </message>
    <message>
        <source>经济分类（款）</source>
        <translation>Economic item</translation>
    </message>
    <message>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>支付方式</source>
        <translation>Payment method</translation>
    </message>
    <message>
        <source>按功能分类</source>
        <translation>By function</translation>
    </message>
    <message>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
    <message>
        <source>按经济分类</source>
        <translation>By economic class</translation>
    </message>
    <message>
        <source>按月份</source>
        <translation>By month</translation>
    </message>
    <message>
        <source>年初预算</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>调整后预算</source>
        <translation>Adjusted budget</translation>
    </message>
    <message>
        <source>指标金额</source>
        <translation>Indicators</translation>
    </message>
    <message>
        <source>用款计划</source>
        <translation>Spending plans</translation>
    </message>
    <message>
        <source>已支付</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>执行率</source>
        <translation>Execution</translation>
    </message>
    <message>
        <source>支付笔数</source>
        <translation>Payments</translation>
    </message>
    <message>
        <source>支付日期</source>
        <translation>Paid on</translation>
    </message>
    <message>
        <source>支付编号</source>
        <translation>Payment no.</translation>
    </message>
    <message>
        <source>收款人</source>
        <translation>Payee</translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>用途</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>部门编码</source>
        <translation>Department code</translation>
    </message>
    <message>
        <source>单位编码</source>
        <translation>Unit code</translation>
    </message>
    <message>
        <source>项目编码</source>
        <translation>Project code</translation>
    </message>
    <message>
        <source>指标编号</source>
        <translation>Indicator no.</translation>
    </message>
    <message>
        <source>支付申请号</source>
        <translation>Application no.</translation>
    </message>
    <message>
        <source>功能科目</source>
        <translation>Functional code</translation>
    </message>
    <message>
        <source>经济科目</source>
        <translation>Economic code</translation>
    </message>
</context>
<context>
    <name>FilterPanel</name>
    <message>
        <source>全部账本</source>
        <translation>All books</translation>
    </message>
    <message>
        <source>全部功能科目</source>
        <translation>All functional codes</translation>
    </message>
    <message>
        <source>全部经济科目</source>
        <translation>All economic codes</translation>
    </message>
    <message>
        <source>全部部门</source>
        <translation>All departments</translation>
    </message>
    <message>
        <source>全部资金来源</source>
        <translation>All funding sources</translation>
    </message>
    <message>
        <source>全部支付方式</source>
        <translation>All payment methods</translation>
    </message>
    <message>
        <source>项目编码</source>
        <translation>Project code</translation>
    </message>
    <message>
        <source>指标编号</source>
        <translation>Indicator no.</translation>
    </message>
    <message>
        <source>收款人包含的文字</source>
        <translation>Text in the payee</translation>
    </message>
    <message>
        <source>用途包含的文字</source>
        <translation>Text in the purpose</translation>
    </message>
    <message>
        <source> 月</source>
        <translation> mo</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>Any</translation>
    </message>
    <message>
        <source>账本</source>
        <translation>Book</translation>
    </message>
    <message>
        <source>功能科目</source>
        <translation>Functional code</translation>
    </message>
    <message>
        <source>经济科目</source>
        <translation>Economic code</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>资金来源</source>
        <translation>Funding source</translation>
    </message>
    <message>
        <source>支付方式</source>
        <translation>Payment method</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>收款人</source>
        <translation>Payee</translation>
    </message>
    <message>
        <source>用途</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>单笔金额不少于（万元）</source>
        <translation>Single payment at least (10,000 yuan)</translation>
    </message>
    <message>
        <source>单笔金额不超过（万元）</source>
        <translation>Single payment at most (10,000 yuan)</translation>
    </message>
    <message>
        <source>金额单位：万元，与汇总表相同（例如 5 即五万元，0.05 即五百元）</source>
        <translation>Amounts in units of 10,000 yuan, as in the summary table (5 means 50,000 yuan, 0.05 means 500 yuan)</translation>
    </message>
    <message>
        <source>单笔金额不少于（元）</source>
        <translation>Single payment at least (yuan)</translation>
    </message>
    <message>
        <source>单笔金额不超过（元）</source>
        <translation>Single payment at most (yuan)</translation>
    </message>
    <message>
        <source>金额单位：元，与支付明细相同</source>
        <translation>Amounts in yuan, as in the payment list</translation>
    </message>
    <message>
        <source>%1“%2”不是金额，请填写以万元为单位的数字，例如 5 或 12.5</source>
        <translation>%1 “%2” is not an amount; enter a number in units of 10,000 yuan, e.g. 5 or 12.5</translation>
    </message>
    <message>
        <source>%1“%2”不是金额，请填写以元为单位的数字，例如 50000 或 12345.67</source>
        <translation>%1 “%2” is not an amount; enter a number in yuan, e.g. 50000 or 12345.67</translation>
    </message>
    <message>
        <source>%1必须是不小于 0 的万元数，最多六位小数（精确到分）</source>
        <translation>%1 must be an amount of 10,000 yuan not below 0, with at most six decimals (to the fen)</translation>
    </message>
    <message>
        <source>%1必须是不小于 0、最多两位小数的金额</source>
        <translation>%1 must be an amount not below 0 with at most two decimals</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>清除全部条件</source>
        <translation>Clear all</translation>
    </message>
    <message>
        <source>筛选条件</source>
        <translation>Filters</translation>
    </message>
    <message>
        <source>最小金额</source>
        <translation>The minimum amount</translation>
    </message>
    <message>
        <source>最大金额</source>
        <translation>The maximum amount</translation>
    </message>
</context>
<context>
    <name>QueryPage</name>
    <message>
        <source>明细</source>
        <translation>Payments</translation>
    </message>
    <message>
        <source>列出当前范围内的每一笔支付</source>
        <translation>List every single payment in the current view</translation>
    </message>
    <message>
        <source>导出 Excel</source>
        <translation>Export to Excel</translation>
    </message>
    <message>
        <source>保存查询</source>
        <translation>Save query</translation>
    </message>
    <message>
        <source>重命名</source>
        <translation>Rename</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>钻取路径</source>
        <translation>Drill path</translation>
    </message>
    <message>
        <source>已保存的查询</source>
        <translation>Saved queries</translation>
    </message>
    <message>
        <source>读取支付明细失败：%1</source>
        <translation>Could not read the payments: %1</translation>
    </message>
    <message>
        <source>预算查询</source>
        <translation>Budget query</translation>
    </message>
    <message>
        <source>查询失败：%1</source>
        <translation>The query failed: %1</translation>
    </message>
    <message>
        <source>没有符合条件的预算数据。
请放宽筛选条件，或点上方路径返回上一层。</source>
        <translation>No budget data matches.
Relax the filters, or click the path above to go back up.</translation>
    </message>
    <message>
        <source>%1 年度还没有预算数据。
导入财政局的指标和支付明细，或同步后再来查询。</source>
        <translation>There is no budget data for %1 yet.
Import the finance bureau&apos;s indicators and payments, or sync, then query again.</translation>
    </message>
    <message>
        <source>全部（%1）</source>
        <translation>All (%1)</translation>
    </message>
    <message>
        <source>支付明细</source>
        <translation>Single payments</translation>
    </message>
    <message>
        <source>按%1列示</source>
        <translation>by %1</translation>
    </message>
    <message>
        <source>共 %1 笔支付，已全部显示</source>
        <translation>%1 payments, all shown</translation>
    </message>
    <message>
        <source>共 %1 笔支付，已读取 %2 笔（向下滚动读取更多）</source>
        <translation>%1 payments, %2 read (scroll down for more)</translation>
    </message>
    <message>
        <source>合计：年初预算 %1 万元，调整后预算 %2 万元，已支付 %3 万元，执行率 %4，%5 笔支付</source>
        <translation>Total: budget %1 (10k yuan), adjusted %2, paid %3, execution %4, %5 payments</translation>
    </message>
    <message>
        <source>条件：%1</source>
        <translation>Filters: %1</translation>
    </message>
    <message>
        <source>在 %1 年度的数据中找不到 %2</source>
        <translation>%2 is not in the data of %1</translation>
    </message>
    <message>
        <source>Excel 文件 (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <source>没有可导出的结果</source>
        <translation>There is no result to export</translation>
    </message>
    <message>
        <source>正在导出 Excel…</source>
        <translation>Exporting to Excel…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>导出已取消，没有保存文件</source>
        <translation>Export cancelled; no file was saved</translation>
    </message>
    <message>
        <source>已导出到 %1</source>
        <translation>Exported to %1</translation>
    </message>
    <message>
        <source>导出失败：%1</source>
        <translation>Export failed: %1</translation>
    </message>
    <message>
        <source>保存的查询读写失败：%1</source>
        <translation>Could not read or write the saved queries: %1</translation>
    </message>
    <message>
        <source>（选择后运行）</source>
        <translation>(choose to run)</translation>
    </message>
    <message>
        <source>（还没有）</source>
        <translation>(none yet)</translation>
    </message>
    <message>
        <source>已保存查询“%1”</source>
        <translation>Saved the query “%1”</translation>
    </message>
    <message>
        <source>找不到这条保存的查询</source>
        <translation>That saved query no longer exists</translation>
    </message>
    <message>
        <source>查询名称：</source>
        <translation>Name of the query:</translation>
    </message>
    <message>
        <source>已有同名查询，要覆盖它吗？</source>
        <translation>A query with this name exists. Replace it?</translation>
    </message>
    <message>
        <source>请先在“已保存的查询”中选一条</source>
        <translation>Choose one of the saved queries first</translation>
    </message>
    <message>
        <source>重命名查询</source>
        <translation>Rename query</translation>
    </message>
    <message>
        <source>新名称：</source>
        <translation>New name:</translation>
    </message>
    <message>
        <source>删除查询</source>
        <translation>Delete query</translation>
    </message>
    <message>
        <source>确定删除“%1”吗？</source>
        <translation>Delete “%1”?</translation>
    </message>
</context>
<context>
    <name>ResultModel</name>
    <message>
        <source>
（笔）</source>
        <translation>
(count)</translation>
    </message>
    <message>
        <source>
（万元）</source>
        <translation>
(10k yuan)</translation>
    </message>
</context>
</TS>
