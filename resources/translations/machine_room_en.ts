<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AlarmsPage</name>
    <message>
        <source>发生时间</source>
        <translation>Raised</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>测点</source>
        <translation>Point</translation>
    </message>
    <message>
        <source>告警内容</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>级别</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>数值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>确认人</source>
        <translation>Acknowledged by</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>全部级别</source>
        <translation>All severities</translation>
    </message>
    <message>
        <source>严重</source>
        <translation>Critical</translation>
    </message>
    <message>
        <source>告警</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>只看未确认</source>
        <translation>Unacknowledged only</translation>
    </message>
    <message>
        <source>确认说明（如：已通知空调厂家）</source>
        <translation>Comment (e.g. air-conditioner maker called)</translation>
    </message>
    <message>
        <source>确认告警</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <source>已确认</source>
        <translation>Acknowledged</translation>
    </message>
    <message>
        <source>未确认</source>
        <translation>Not acknowledged</translation>
    </message>
    <message>
        <source>，已恢复</source>
        <translation>, cleared</translation>
    </message>
    <message>
        <source>通信</source>
        <translation>Communication</translation>
    </message>
    <message>
        <source>请先选中一条告警</source>
        <translation>Select an alarm first</translation>
    </message>
    <message>
        <source>已确认：{device} {what}</source>
        <translation>Acknowledged: {device} {what}</translation>
    </message>
</context>
<context>
    <name>ConfigPage</name>
    <message>
        <source>设备</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>测点</source>
        <translation>Point</translation>
    </message>
    <message>
        <source>下限严重</source>
        <translation>Low critical</translation>
    </message>
    <message>
        <source>下限告警</source>
        <translation>Low warning</translation>
    </message>
    <message>
        <source>上限告警</source>
        <translation>High warning</translation>
    </message>
    <message>
        <source>上限严重</source>
        <translation>High critical</translation>
    </message>
    <message>
        <source>告警阈值（留空为不设）；改好后点保存，全部检查无误才会生效。</source>
        <translation>Alarm thresholds (empty: none). Press Save when done; nothing takes effect unless every row is valid.</translation>
    </message>
    <message>
        <source>保存阈值</source>
        <translation>Save thresholds</translation>
    </message>
    <message>
        <source>阈值已保存</source>
        <translation>Thresholds saved</translation>
    </message>
</context>
<context>
    <name>DevicePage</name>
    <message>
        <source>测点</source>
        <translation>Point</translation>
    </message>
    <message>
        <source>数值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>数据质量</source>
        <translation>Quality</translation>
    </message>
    <message>
        <source>告警上限</source>
        <translation>High warning</translation>
    </message>
    <message>
        <source>严重上限</source>
        <translation>High critical</translation>
    </message>
    <message>
        <source>读取时间</source>
        <translation>Read at</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>过时</source>
        <translation>Stale</translation>
    </message>
    <message>
        <source>无效</source>
        <translation>Invalid</translation>
    </message>
    <message>
        <source>未读取</source>
        <translation>Not read</translation>
    </message>
    <message>
        <source>← 返回机房平面</source>
        <translation>← Back to the room plan</translation>
    </message>
    <message>
        <source>{device}（已不在本机房）</source>
        <translation>{device} (no longer in this room)</translation>
    </message>
    <message>
        <source>当前告警：{alarms}</source>
        <translation>Active alarms: {alarms}</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>编号只能用小写字母、数字、“-”和“_”，以字母或数字开头，最长 40 个字符</source>
        <translation>The id may use lower-case letters, digits, &quot;-&quot; and &quot;_&quot;, starts with a letter or digit, at most 40 characters</translation>
    </message>
    <message>
        <source>编号 {id} 已被另一台设备使用</source>
        <translation>The id {id} is already used by another device</translation>
    </message>
    <message>
        <source>请填写设备名称（最长 40 个字）</source>
        <translation>Enter the device name (at most 40 characters)</translation>
    </message>
    <message>
        <source>设备名称“{name}”已被另一台设备使用</source>
        <translation>The name &quot;{name}&quot; is already used by another device</translation>
    </message>
    <message>
        <source>没有型号“{model}”的寄存器映射；可用的型号：{models}</source>
        <translation>There is no register map for model &quot;{model}&quot;; models: {models}</translation>
    </message>
    <message>
        <source>Modbus 设备须选择型号（寄存器映射）</source>
        <translation>A Modbus device needs a model (register map)</translation>
    </message>
    <message>
        <source>只有 Modbus 设备按型号读取；NUT 和 SNMP 设备请把型号留空</source>
        <translation>Only Modbus devices are read by model; leave the model empty for NUT and SNMP devices</translation>
    </message>
    <message>
        <source>请填写设备地址，例如 modbus-tcp://192.168.1.20:502?unit=1</source>
        <translation>Enter the device address, e.g. modbus-tcp://192.168.1.20:502?unit=1</translation>
    </message>
    <message>
        <source>地址有误：{detail}</source>
        <translation>Wrong address: {detail}</translation>
    </message>
    <message>
        <source>采集周期必须是 {low}–{high} 秒之间的数，现在是“{text}”</source>
        <translation>The polling interval must be a number of seconds between {low} and {high}, not &quot;{text}&quot;</translation>
    </message>
    <message>
        <source>超时必须是 {low}–{high} 秒之间的数（或留空），现在是“{text}”</source>
        <translation>The timeout must be a number of seconds between {low} and {high} (or empty), not &quot;{text}&quot;</translation>
    </message>
    <message>
        <source>平面图的行和列必须都是 1–{size} 的整数，或都留空</source>
        <translation>Row and column on the plan must both be whole numbers from 1 to {size}, or both empty</translation>
    </message>
    <message>
        <source>平面图第 {row} 行第 {column} 列已经放了“{other}”</source>
        <translation>Row {row}, column {column} of the plan already holds &quot;{other}&quot;</translation>
    </message>
    <message>
        <source>没有设置机房配置文件，无法编辑设备</source>
        <translation>No room file is set; devices cannot be edited</translation>
    </message>
    <message>
        <source>机房配置文件有误，未保存：{detail}</source>
        <translation>The room file is wrong; nothing saved: {detail}</translation>
    </message>
    <message>
        <source>设备 {id} 已不在机房配置文件中，请刷新后再改</source>
        <translation>Device {id} is no longer in the room file; refresh and try again</translation>
    </message>
    <message>
        <source>机房至少要有一台设备，最后一台不能删除</source>
        <translation>A room needs at least one device; the last one cannot be removed</translation>
    </message>
    <message>
        <source>设备（采集器读取的机房配置文件）</source>
        <translation>Devices (the collector&apos;s room file)</translation>
    </message>
    <message>
        <source>新增设备</source>
        <translation>Add device</translation>
    </message>
    <message>
        <source>删除设备</source>
        <translation>Remove device</translation>
    </message>
    <message>
        <source>（不用型号：NUT、SNMP）</source>
        <translation>(no model: NUT, SNMP)</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>型号</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>采集周期（秒）</source>
        <translation>Polling interval (s)</translation>
    </message>
    <message>
        <source>超时（秒，可空）</source>
        <translation>Timeout (s, optional)</translation>
    </message>
    <message>
        <source>平面图行</source>
        <translation>Row on the plan</translation>
    </message>
    <message>
        <source>平面图列</source>
        <translation>Column on the plan</translation>
    </message>
    <message>
        <source>如 ac-3（小写字母、数字、-、_）</source>
        <translation>e.g. ac-3 (lower-case letters, digits, -, _)</translation>
    </message>
    <message>
        <source>如 3 号精密空调</source>
        <translation>e.g. Air-conditioner 3</translation>
    </message>
    <message>
        <source>留空用地址或驱动的默认值</source>
        <translation>Empty: the address&apos;s or the driver&apos;s default</translation>
    </message>
    <message>
        <source>保存设备</source>
        <translation>Save device</translation>
    </message>
    <message>
        <source>测点（型号给出的和已采集到的）</source>
        <translation>Points (from the model and as collected)</translation>
    </message>
    <message>
        <source>测点</source>
        <translation>Point</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>最新值</source>
        <translation>Latest value</translation>
    </message>
    <message>
        <source>编辑设备：{name}</source>
        <translation>Edit device: {name}</translation>
    </message>
    <message>
        <source>未保存：{reason}</source>
        <translation>Not saved: {reason}</translation>
    </message>
    <message>
        <source>已保存 {name}：采集器几秒内按新配置采集</source>
        <translation>{name} saved: the collector polls by the new settings within seconds</translation>
    </message>
    <message>
        <source>请先在左边选中一台设备</source>
        <translation>Select a device on the left first</translation>
    </message>
    <message>
        <source>已删除设备 {id}（其历史数据保留）</source>
        <translation>Device {id} removed (its history is kept)</translation>
    </message>
</context>
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
    <message>
        <source>设备配置</source>
        <translation>Devices</translation>
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
        <source>{title}（{room}）</source>
        <translation>{title} ({room})</translation>
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
<context>
    <name>RoomPlan</name>
    <message>
        <source>正常</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>告警</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>严重</source>
        <translation>Critical</translation>
    </message>
    <message>
        <source>通信中断</source>
        <translation>No communication</translation>
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
        <source>本机房尚未配置设备</source>
        <translation>No devices configured in this room yet</translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <source>点击查看设备详情</source>
        <translation>Click for the device details</translation>
    </message>
    <message>
        <source>（旧值）</source>
        <translation> (old value)</translation>
    </message>
    <message>
        <source>……共 {n} 个测点，点击查看</source>
        <translation>… {n} points in all, click to see them</translation>
    </message>
    <message>
        <source>等待数据</source>
        <translation>Waiting for data</translation>
    </message>
</context>
<context>
    <name>TrendPage</name>
    <message>
        <source>一年</source>
        <translation>One year</translation>
    </message>
    <message>
        <source>一个月</source>
        <translation>One month</translation>
    </message>
    <message>
        <source>一周</source>
        <translation>One week</translation>
    </message>
    <message>
        <source>一天</source>
        <translation>One day</translation>
    </message>
    <message>
        <source>一小时</source>
        <translation>One hour</translation>
    </message>
    <message>
        <source>十分钟</source>
        <translation>Ten minutes</translation>
    </message>
    <message>
        <source>下限严重</source>
        <translation>Low critical</translation>
    </message>
    <message>
        <source>下限告警</source>
        <translation>Low warning</translation>
    </message>
    <message>
        <source>上限告警</source>
        <translation>High warning</translation>
    </message>
    <message>
        <source>上限严重</source>
        <translation>High critical</translation>
    </message>
</context>
</TS>
