<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>BudgetWindow</name>
    <message>
        <source>工作台</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>预算查询</source>
        <translation>Budget query</translation>
    </message>
    <message>
        <source>预警信息</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <source>预警规则</source>
        <translation>Warning rules</translation>
    </message>
    <message>
        <source>分析</source>
        <translation>Analysis</translation>
    </message>
    <message>
        <source>指标管理</source>
        <translation>Indicators</translation>
    </message>
    <message>
        <source>执行报告</source>
        <translation>Execution report</translation>
    </message>
    <message>
        <source>审查计划</source>
        <translation>Review plan</translation>
    </message>
    <message>
        <source>审查任务</source>
        <translation>Review tasks</translation>
    </message>
    <message>
        <source>代表建言</source>
        <translation>Deputies&apos; comments</translation>
    </message>
    <message>
        <source>专家库与代表库</source>
        <translation>Experts and deputies</translation>
    </message>
    <message>
        <source>数据接入</source>
        <translation>Data links</translation>
    </message>
    <message>
        <source>文档与档案</source>
        <translation>Documents and archives</translation>
    </message>
    <message>
        <source>预算联网监督</source>
        <translation>Budget online supervision</translation>
    </message>
</context>
<context>
    <name>BudgetWorkspace</name>
    <message>
        <source>本机的支付、指标和项目数据含演示生成数据（非真实数据）</source>
        <translation>Payments, indicators and projects on this computer include generated demo data (not real)</translation>
    </message>
    <message>
        <source>科目代码表来自部分公开资料，未收录的科目显示为“代码表缺名称”</source>
        <translation>Code tables come from partial public sources; codes not in them show as “name missing from code table”</translation>
    </message>
</context>
</TS>
