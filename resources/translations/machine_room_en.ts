<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>MachineRoomConsole</name>
    <message>
        <source>机房平面</source>
        <translation>Room plan</translation>
    </message>
    <message>
        <source>告警</source>
        <translation>Alarms</translation>
    </message>
    <message>
        <source>趋势</source>
        <translation>Trends</translation>
    </message>
    <message>
        <source>报表</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>阈值设置</source>
        <translation>Thresholds</translation>
    </message>
</context>
<context>
    <name>MachineRoomWindow</name>
    <message>
        <source>机房监控</source>
        <translation>Machine-room monitoring</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>设备可用率</source>
        <translation>Device availability</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>通信中断时长</source>
        <translation>Time without communication</translation>
    </message>
    <message>
        <source>可用率</source>
        <translation>Availability</translation>
    </message>
    <message>
        <source>告警统计</source>
        <translation>Alarm statistics</translation>
    </message>
    <message>
        <source>告警类型</source>
        <translation>Alarm type</translation>
    </message>
    <message>
        <source>级别</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>条数</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>累计时长</source>
        <translation>Total duration</translation>
    </message>
    <message>
        <source>最长一次</source>
        <translation>Longest</translation>
    </message>
    <message>
        <source>温湿度达标</source>
        <translation>Temperature and humidity</translation>
    </message>
    <message>
        <source>测点</source>
        <translation>Point</translation>
    </message>
    <message>
        <source>要求范围</source>
        <translation>Required range</translation>
    </message>
    <message>
        <source>最低</source>
        <translation>Min</translation>
    </message>
    <message>
        <source>平均</source>
        <translation>Mean</translation>
    </message>
    <message>
        <source>最高</source>
        <translation>Max</translation>
    </message>
    <message>
        <source>达标率</source>
        <translation>Compliance</translation>
    </message>
    <message>
        <source>告警明细</source>
        <translation>Alarm list</translation>
    </message>
    <message>
        <source>发生时间</source>
        <translation>Raised at</translation>
    </message>
    <message>
        <source>告警内容</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>持续时间</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>确认人</source>
        <translation>Acknowledged by</translation>
    </message>
    <message>
        <source>确认说明</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>日报</source>
        <translation>Daily report</translation>
    </message>
    <message>
        <source>月报</source>
        <translation>Monthly report</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Show figures</translation>
    </message>
    <message>
        <source>打印预览…</source>
        <translation>Print preview…</translation>
    </message>
    <message>
        <source>导出 PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <source>机房</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>报表</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>无法写入文件：{error}</source>
        <translation>Cannot write the file: {error}</translation>
    </message>
    <message>
        <source>报表未能生成：{error}</source>
        <translation>The report could not be made: {error}</translation>
    </message>
    <message>
        <source>{title}（机房 {room}）</source>
        <translation>{title} (room {room})</translation>
    </message>
    <message>
        <source>统计时段 {period}。设备平均可用率 {availability}；告警 {alarms} 条，其中严重 {critical} 条；温湿度达标率 {climate}（GB 50174-2017 附录A）。</source>
        <translation>Period {period}. Mean device availability {availability}; {alarms} alarms, {critical} of them critical; temperature and humidity within range {climate} of the time (GB 50174-2017 Appendix A).</translation>
    </message>
    <message>
        <source>告警明细（{n} 条）</source>
        <translation>Alarm list ({n})</translation>
    </message>
    <message>
        <source>已导出：{path}</source>
        <translation>Exported: {path}</translation>
    </message>
    <message>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
</context>
</TS>
