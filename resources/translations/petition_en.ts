<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ActionDialog</name>
    <message>
        <source>{action} — 信访件 {code}</source>
        <translation>{action} — case {code}</translation>
    </message>
    <message>
        <source>接收单位</source>
        <translation>Receiving body</translation>
    </message>
    <message>
        <source>（已按分流规则预选，可改）</source>
        <translation>(proposed by the routing rules; you can change it)</translation>
    </message>
    <message>
        <source> 日</source>
        <translation> days</translation>
    </message>
    <message>
        <source>延长的天数</source>
        <translation>Days of extension</translation>
    </message>
    <message>
        <source>答复意见</source>
        <translation>Answer</translation>
    </message>
    <message>
        <source>评价结果</source>
        <translation>Rating</translation>
    </message>
    <message>
        <source>申请收到日期</source>
        <translation>Request received on</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>依据：{article}</source>
        <translation>Basis: {article}</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>CasePage</name>
    <message>
        <source>← 返回列表</source>
        <translation>← Back to the list</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>分类</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>区</source>
        <translation>District</translation>
    </message>
    <message>
        <source>涉及人数</source>
        <translation>Persons involved</translation>
    </message>
    <message>
        <source>承办单位</source>
        <translation>Handling body</translation>
    </message>
    <message>
        <source>答复意见</source>
        <translation>Answer</translation>
    </message>
    <message>
        <source>信访事项</source>
        <translation>Matter</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Gender</translation>
    </message>
    <message>
        <source>手机号</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>所在区</source>
        <translation>District</translation>
    </message>
    <message>
        <source>信访人</source>
        <translation>Petitioner</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>Basis</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>By</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>办理经过</source>
        <translation>History</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>相关原因</source>
        <translation>Why related</translation>
    </message>
    <message>
        <source>标记为重复件</source>
        <translation>Mark as repeat</translation>
    </message>
    <message>
        <source>本件是所选信访件的重复件（同一人、同一事项），统计时只计一次</source>
        <translation>This case repeats the selected case (same person, same matter); statistics count them once</translation>
    </message>
    <message>
        <source>关联与相似信访件</source>
        <translation>Linked and similar cases</translation>
    </message>
    <message>
        <source>生成文书</source>
        <translation>Make letter</translation>
    </message>
    <message>
        <source>办理：</source>
        <translation>Actions:</translation>
    </message>
    <message>
        <source>信访件详情</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>信访件不在本机，请先同步</source>
        <translation>The case is not on this computer; synchronize first</translation>
    </message>
    <message>
        <source>状态：{state}</source>
        <translation>State: {state}</translation>
    </message>
    <message>
        <source>【集体访】</source>
        <translation>[collective]</translation>
    </message>
    <message>
        <source>【督办】</source>
        <translation>[supervised]</translation>
    </message>
    <message>
        <source>【已延期】</source>
        <translation>[extended]</translation>
    </message>
    <message>
        <source>当前状态不计办理期限</source>
        <translation>No deadline runs in this state</translation>
    </message>
    <message>
        <source>无关联信访件</source>
        <translation>No linked cases</translation>
    </message>
    <message>
        <source>生成文书：{kind}</source>
        <translation>Make letter: {kind}</translation>
    </message>
    <message>
        <source>依据：{article}</source>
        <translation>Basis: {article}</translation>
    </message>
    <message>
        <source>不能办理</source>
        <translation>Not done</translation>
    </message>
    <message>
        <source>请先在相似信访件中选中本件重复的那一件。</source>
        <translation>First select, among the similar cases, the case this one repeats.</translation>
    </message>
    <message>
        <source>不能标记</source>
        <translation>Not marked</translation>
    </message>
    <message>
        <source>不能生成文书</source>
        <translation>No letter made</translation>
    </message>
    <message>
        <source>本件尚未分流或答复，还没有可生成的文书。</source>
        <translation>The case has not been routed or answered yet: there is no letter to make.</translation>
    </message>
</context>
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
    <name>ReceptionPage</name>
    <message>
        <source>来访人姓名</source>
        <translation>Visitor&apos;s name</translation>
    </message>
    <message>
        <source> 人</source>
        <translation> persons</translation>
    </message>
    <message>
        <source>取号</source>
        <translation>Take a ticket</translation>
    </message>
    <message>
        <source>号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>来访人</source>
        <translation>Visitor</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>Persons</translation>
    </message>
    <message>
        <source>到达</source>
        <translation>Arrived</translation>
    </message>
    <message>
        <source>等候</source>
        <translation>Waited</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>接待人</source>
        <translation>Received by</translation>
    </message>
    <message>
        <source>信访件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>叫下一位</source>
        <translation>Call next</translation>
    </message>
    <message>
        <source>登记信访件</source>
        <translation>Register a case</translation>
    </message>
    <message>
        <source>接待完毕</source>
        <translation>Visit finished</translation>
    </message>
    <message>
        <source>未接待离开</source>
        <translation>Left unreceived</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>您没有来访接待的权限（petition.case），只能查看今天的队列。</source>
        <translation>You may not receive visitors (petition.case); you can only view today&apos;s queue.</translation>
    </message>
    <message>
        <source>今日来访队列</source>
        <translation>Today&apos;s visitor queue</translation>
    </message>
    <message>
        <source>返回队列</source>
        <translation>Back to the queue</translation>
    </message>
    <message>
        <source>来访接待</source>
        <translation>Reception</translation>
    </message>
    <message>
        <source>（集体访）</source>
        <translation> (collective visit)</translation>
    </message>
    <message>
        <source>{n} 分钟</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <source>等候 {w} 人，接待中 {c} 人，已接待 {d} 人</source>
        <translation>{w} waiting, {c} being received, {d} received</translation>
    </message>
    <message>
        <source>未办理：{reason}</source>
        <translation>Not done: {reason}</translation>
    </message>
    <message>
        <source>{name}：第 {n} 号，请稍候。</source>
        <translation>{name}: ticket {n}, please wait.</translation>
    </message>
    <message>
        <source>没有等候的来访人。</source>
        <translation>Nobody is waiting.</translation>
    </message>
    <message>
        <source>请第 {n} 号 {name} 到接待窗口。</source>
        <translation>Ticket {n}, {name}, please come to the reception window.</translation>
    </message>
    <message>
        <source>为第 {n} 号 {name} 登记信访件</source>
        <translation>Register a case for ticket {n}, {name}</translation>
    </message>
    <message>
        <source>已为第 {n} 号 {name} 登记信访件 {code}；接待结束后请点“接待完毕”。</source>
        <translation>Case {code} registered for ticket {n}, {name}; click “Visit finished” when the visit is over.</translation>
    </message>
    <message>
        <source>第 {n} 号 {name} 接待完毕。</source>
        <translation>Ticket {n}, {name}: visit finished.</translation>
    </message>
    <message>
        <source>第 {n} 号 {name} 未接待已离开。</source>
        <translation>Ticket {n}, {name}: left without being received.</translation>
    </message>
</context>
<context>
    <name>RegisterPage</name>
    <message>
        <source>登记</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>（未选）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>外省市</source>
        <translation>Outside Shanghai</translation>
    </message>
    <message>
        <source> 人</source>
        <translation> persons</translation>
    </message>
    <message>
        <source>集体访</source>
        <translation>Collective petition</translation>
    </message>
    <message>
        <source>一句话说明反映的事项</source>
        <translation>The matter in one sentence</translation>
    </message>
    <message>
        <source>信访人反映的具体内容和诉求</source>
        <translation>What the petitioner reports and asks for</translation>
    </message>
    <message>
        <source>匿名来信（不填写信访人）</source>
        <translation>Anonymous letter (no petitioner)</translation>
    </message>
    <message>
        <source>（未填）</source>
        <translation>(not given)</translation>
    </message>
    <message>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>11 位手机号码</source>
        <translation>11-digit mobile number</translation>
    </message>
    <message>
        <source>18 位身份证号</source>
        <translation>18-character ID number</translation>
    </message>
    <message>
        <source>信访事项</source>
        <translation>Matter</translation>
    </message>
    <message>
        <source>来源渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>收到日期</source>
        <translation>Received on</translation>
    </message>
    <message>
        <source>事项类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>信访分类</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>所属区</source>
        <translation>District</translation>
    </message>
    <message>
        <source>涉及人数</source>
        <translation>Persons involved</translation>
    </message>
    <message>
        <source>主要内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>信访人</source>
        <translation>Petitioner</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Gender</translation>
    </message>
    <message>
        <source>手机号码</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>您没有登记信访件的权限（petition.case），本页只能查看。需要登记请联系信访办负责人。</source>
        <translation>You may not register cases (petition.case); this page is read-only. Ask the head of the petition office if you need to register.</translation>
    </message>
    <message>
        <source>取消重复件</source>
        <translation>Not a repeat</translation>
    </message>
    <message>
        <source>此人以往信访</source>
        <translation>This person&apos;s earlier petitions</translation>
    </message>
    <message>
        <source>输入身份证号、手机号或姓名和地址后，这里列出此人以往的信访件。</source>
        <translation>Type the ID number, mobile, or name and address: this person&apos;s earlier cases are listed here.</translation>
    </message>
    <message>
        <source>相似信访件</source>
        <translation>Similar cases</translation>
    </message>
    <message>
        <source>填写信访事项和内容后，这里列出内容相近的信访件。</source>
        <translation>Type the matter and content: cases with similar text are listed here.</translation>
    </message>
    <message>
        <source>建议接收单位</source>
        <translation>Proposed receiving body</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>登记 (Ctrl+Enter)</source>
        <translation>Register (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>（不细分）</source>
        <translation>(no subcategory)</translation>
    </message>
    <message>
        <source>选择信访分类后，按分流规则提出建议接收单位。</source>
        <translation>Choose a category: the routing rules then propose a receiving body.</translation>
    </message>
    <message>
        <source>没有适用的分流规则；分流时由您选择接收单位。</source>
        <translation>No routing rule applies; you choose the receiving body when routing.</translation>
    </message>
    <message>
        <source>{route}：{body}（仅供参考，分流时可以改）</source>
        <translation>{route}: {body} (a proposal; you can change it when routing)</translation>
    </message>
    <message>
        <source>收到日期 {d} 晚于今天</source>
        <translation>The received date {d} is after today</translation>
    </message>
    <message>
        <source>未登记，请改正以下 {n} 处后再登记：
{lines}</source>
        <translation>Not registered. Correct these {n} problems, then register again:
{lines}</translation>
    </message>
    <message>
        <source>本机数据库正忙，这一件没有登记，请再点一次“登记”。</source>
        <translation>The local database was busy; this case was not registered. Click “Register” again.</translation>
    </message>
    <message>
        <source>已登记，编号 {code}。查询码 {tracking}（已随短信回执发给信访人，可在网上查询办理进度）。</source>
        <translation>Registered as {code}. Tracking code {tracking} (sent to the petitioner with the SMS receipt; progress can be followed online). </translation>
    </message>
    <message>
        <source>已登记，编号 {code}。信访人未留手机号码，没有查询码。</source>
        <translation>Registered as {code}. The petitioner left no mobile number, so there is no tracking code. </translation>
    </message>
    <message>
        <source>请于 {due} 前分流。</source>
        <translation>Route it by {due}.</translation>
    </message>
    <message>
        <source>将作为 {code} 的重复件登记（统计时计为一件）</source>
        <translation>Will be registered as a repeat of {code} (the two count as one in statistics)</translation>
    </message>
    <message>
        <source>此人以往信访 {n} 件</source>
        <translation>This person&apos;s earlier petitions: {n}</translation>
    </message>
    <message>
        <source>相似信访件 {n} 件</source>
        <translation>Similar cases: {n}</translation>
    </message>
    <message>
        <source>（相似度 {p}%）</source>
        <translation> (similarity {p}%)</translation>
    </message>
    <message>
        <source>作为重复件登记</source>
        <translation>Register as a repeat</translation>
    </message>
</context>
<context>
    <name>StatsPage</name>
    <message>
        <source>月度报告预览…</source>
        <translation>Monthly report preview…</translation>
    </message>
    <message>
        <source>月度报告另存为 PDF…</source>
        <translation>Save monthly report as PDF…</translation>
    </message>
    <message>
        <source>收到日期</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>图表</source>
        <translation>Chart</translation>
    </message>
    <message>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>件数</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>占比</source>
        <translation>Share</translation>
    </message>
    <message>
        <source>承办单位</source>
        <translation>Handling body</translation>
    </message>
    <message>
        <source>来源渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>信访分类</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>区</source>
        <translation>District</translation>
    </message>
    <message>
        <source>办理状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>已答复</source>
        <translation>Answered</translation>
    </message>
    <message>
        <source>按期答复</source>
        <translation>On time</translation>
    </message>
    <message>
        <source>按期率</source>
        <translation>On-time rate</translation>
    </message>
    <message>
        <source>按期办结</source>
        <translation>On time</translation>
    </message>
    <message>
        <source>热点</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>本期</source>
        <translation>This period</translation>
    </message>
    <message>
        <source>上期</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>增减</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>热点问题</source>
        <translation>Hot topics</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>结束日期早于开始日期，请重新选择。</source>
        <translation>The end date is before the start date; choose again.</translation>
    </message>
    <message>
        <source>共收到信访件 {total} 件（另有重复件 {repeats} 件），集体访 {collective} 件、涉及 {persons} 人；已答复 {answered} 件，按期答复率 {on_time}；满意率 {satisfied}。</source>
        <translation>{total} cases received ({repeats} more repeats), {collective} collective, {persons} persons involved; {answered} answered, on-time rate {on_time}; satisfaction {satisfied}.</translation>
    </message>
    <message>
        <source>按{name}统计（{start} 至 {end}）</source>
        <translation>By {name} ({start} to {end})</translation>
    </message>
    <message>
        <source>月度报告另存为 PDF</source>
        <translation>Save monthly report as PDF</translation>
    </message>
    <message>
        <source>{year}年{month}月信访情况分析.pdf</source>
        <translation>petitions-{year}-{month}.pdf</translation>
    </message>
    <message>
        <source>不能保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>无法写入文件：{error}</source>
        <translation>Cannot write the file: {error}</translation>
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
