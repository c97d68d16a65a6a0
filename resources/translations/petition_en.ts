<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>InboxPage</name>
    <message>
        <source>编号、信访人或内容</source>
        <translation>Code, petitioner or text</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <source>全部渠道</source>
        <translation>All channels</translation>
    </message>
    <message>
        <source>只看督办</source>
        <translation>Supervised only</translation>
    </message>
    <message>
        <source>导出 Excel</source>
        <translation>Export to Excel</translation>
    </message>
    <message>
        <source>剩余天数</source>
        <translation>Days left</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>收到日期</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>信访人</source>
        <translation>Petitioner</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>承办单位</source>
        <translation>Handling body</translation>
    </message>
    <message>
        <source>信访件</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>全部承办单位</source>
        <translation>All bodies</translation>
    </message>
    <message>
        <source>超期 {n} 天</source>
        <translation>{n} days overdue</translation>
    </message>
    <message>
        <source>{n} 天</source>
        <translation>{n} days</translation>
    </message>
    <message>
        <source>（督办）</source>
        <translation> (supervised)</translation>
    </message>
    <message>
        <source>共 {n} 件</source>
        <translation>{n} cases</translation>
    </message>
    <message>
        <source>信访件.xlsx</source>
        <translation>petition-cases.xlsx</translation>
    </message>
</context>
<context>
    <name>PetitionWindow</name>
    <message>
        <source>信访</source>
        <translation>Letters and Visits</translation>
    </message>
</context>
<context>
    <name>SupervisionPage</name>
    <message>
        <source>承办单位</source>
        <translation>Handling body</translation>
    </message>
    <message>
        <source>超期件数</source>
        <translation>Overdue cases</translation>
    </message>
    <message>
        <source>最长超期天数</source>
        <translation>Longest overdue (days)</translation>
    </message>
    <message>
        <source>超期信访件</source>
        <translation>Overdue cases</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <source>（未转办）</source>
        <translation>(not routed)</translation>
    </message>
    <message>
        <source>共 {n} 个单位有超期件</source>
        <translation>{n} bodies with overdue cases</translation>
    </message>
</context>
</TS>
