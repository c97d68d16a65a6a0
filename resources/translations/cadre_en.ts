<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ActionDialog</name>
    <message>
        <source>{label}：</source>
        <translation>{label}:</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ActivitySection</name>
    <message>
        <source>活动</source>
        <translation>Activities</translation>
    </message>
    <message>
        <source>新建活动</source>
        <translation>New activity</translation>
    </message>
    <message>
        <source>报名</source>
        <translation>Sign up</translation>
    </message>
    <message>
        <source>记为出席</source>
        <translation>Mark present</translation>
    </message>
    <message>
        <source>记为缺席</source>
        <translation>Mark absent</translation>
    </message>
    <message>
        <source>添加照片</source>
        <translation>Add photos</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>名额</source>
        <translation>Places</translation>
    </message>
    <message>
        <source>出席</source>
        <translation>Present</translation>
    </message>
    <message>
        <source>照片</source>
        <translation>Photos</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>报名日期</source>
        <translation>Signed up on</translation>
    </message>
    <message>
        <source>报名与出席</source>
        <translation>Sign-ups and attendance</translation>
    </message>
    <message>
        <source>活动照片</source>
        <translation>Activity photos</translation>
    </message>
    <message>
        <source>活动安排</source>
        <translation>Activity schedule</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>Any</translation>
    </message>
    <message>
        <source>缺席</source>
        <translation>Absent</translation>
    </message>
    <message>
        <source>报名与出席：{title}</source>
        <translation>Sign-ups and attendance: {title}</translation>
    </message>
    <message>
        <source>活动照片：{title}（{n} 张）</source>
        <translation>Activity photos: {title} ({n})</translation>
    </message>
    <message>
        <source>共 {n} 项活动</source>
        <translation>{n} activities</translation>
    </message>
    <message>
        <source>活动名称</source>
        <translation>Activity</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>活动日期</source>
        <translation>Activity date</translation>
    </message>
    <message>
        <source>请先在列表中选择一项活动</source>
        <translation>Select an activity in the list first</translation>
    </message>
    <message>
        <source>报名：{title}</source>
        <translation>Sign up: {title}</translation>
    </message>
    <message>
        <source>无法读取“{name}”：{error}</source>
        <translation>Cannot read &quot;{name}&quot;: {error}</translation>
    </message>
    <message>
        <source>已添加 {n} 张照片</source>
        <translation>{n} photos added</translation>
    </message>
    <message>
        <source>“{name}”不是可显示的图片（内容已损坏），没有添加</source>
        <translation>“{name}” is not a picture that can be shown (the content is damaged); not added</translation>
    </message>
    <message>
        <source>选择活动照片</source>
        <translation>Choose activity photos</translation>
    </message>
    <message>
        <source>图片 (*.jpg *.jpeg *.png)</source>
        <translation>Images (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <source>请先在报名名单中选择一人</source>
        <translation>Select a person in the sign-up list first</translation>
    </message>
</context>
<context>
    <name>AgeBands</name>
    <message>
        <source>60 岁以下</source>
        <translation>Under 60</translation>
    </message>
    <message>
        <source>60–69 岁</source>
        <translation>60–69</translation>
    </message>
    <message>
        <source>70–79 岁</source>
        <translation>70–79</translation>
    </message>
    <message>
        <source>80–89 岁</source>
        <translation>80–89</translation>
    </message>
    <message>
        <source>90 岁及以上</source>
        <translation>90 and over</translation>
    </message>
</context>
<context>
    <name>AidSection</name>
    <message>
        <source>帮困救助</source>
        <translation>Hardship aid</translation>
    </message>
    <message>
        <source>登记申请</source>
        <translation>Record application</translation>
    </message>
    <message>
        <source>批准</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>不予批准</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>发放</source>
        <translation>Pay out</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>申请日期</source>
        <translation>Applied on</translation>
    </message>
    <message>
        <source>申请事由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>申请金额（元）</source>
        <translation>Requested (CNY)</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>批准金额（元）</source>
        <translation>Approved (CNY)</translation>
    </message>
    <message>
        <source>审批日期</source>
        <translation>Decided on</translation>
    </message>
    <message>
        <source>审批人</source>
        <translation>Decided by</translation>
    </message>
    <message>
        <source>发放日期</source>
        <translation>Paid on</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>申请件数</source>
        <translation>Applications</translation>
    </message>
    <message>
        <source>已发放（元）</source>
        <translation>Paid (CNY)</translation>
    </message>
    <message>
        <source>救助申请</source>
        <translation>Aid applications</translation>
    </message>
    <message>
        <source>每人年度合计</source>
        <translation>Yearly totals per person</translation>
    </message>
    <message>
        <source>共 {n} 件申请，待审批 {w} 件</source>
        <translation>{n} applications, {w} awaiting a decision</translation>
    </message>
    <message>
        <source>申请金额</source>
        <translation>Amount requested</translation>
    </message>
    <message>
        <source>登记帮困救助申请</source>
        <translation>Record a hardship aid application</translation>
    </message>
    <message>
        <source>请先在列表中选择一件申请</source>
        <translation>Select an application in the list first</translation>
    </message>
    <message>
        <source>批准金额</source>
        <translation>Amount approved</translation>
    </message>
    <message>
        <source>批准救助申请</source>
        <translation>Approve aid application</translation>
    </message>
    <message>
        <source>不予批准理由</source>
        <translation>Reason for rejection</translation>
    </message>
    <message>
        <source>登记发放</source>
        <translation>Record payment</translation>
    </message>
</context>
<context>
    <name>AnalysisPage</name>
    <message>
        <source>年龄结构</source>
        <translation>Age structure</translation>
    </message>
    <message>
        <source>人员类别</source>
        <translation>Personnel category</translation>
    </message>
    <message>
        <source>党支部</source>
        <translation>Party branch</translation>
    </message>
    <message>
        <source>帮困救助</source>
        <translation>Hardship aid</translation>
    </message>
    <message>
        <source>活动出勤</source>
        <translation>Activity attendance</translation>
    </message>
    <message>
        <source>去世人数</source>
        <translation>Deaths</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>导出 Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <source>打印预览…</source>
        <translation>Print preview…</translation>
    </message>
    <message>
        <source>年龄段</source>
        <translation>Age group</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>占比</source>
        <translation>Share</translation>
    </message>
    <message>
        <source>年份</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>申请件数</source>
        <translation>Applications</translation>
    </message>
    <message>
        <source>批准件数</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>批准金额（元）</source>
        <translation>Approved (CNY)</translation>
    </message>
    <message>
        <source>已发放（元）</source>
        <translation>Paid (CNY)</translation>
    </message>
    <message>
        <source>活动</source>
        <translation>Activity</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>报名</source>
        <translation>Signed up</translation>
    </message>
    <message>
        <source>出席</source>
        <translation>Present</translation>
    </message>
    <message>
        <source>出席率</source>
        <translation>Attendance rate</translation>
    </message>
    <message>
        <source>分析</source>
        <translation>Analysis</translation>
    </message>
    <message>
        <source>正在统计…</source>
        <translation>Calculating…</translation>
    </message>
    <message>
        <source>已取消统计</source>
        <translation>Calculation cancelled</translation>
    </message>
    <message>
        <source>统计失败：{error}</source>
        <translation>Calculation failed: {error}</translation>
    </message>
    <message>
        <source>健在 {living} 人；帮困救助共 {applications} 件，已发放 {paid} 元；活动 {activities} 次；去世 {deaths} 人（截至 {today}）。</source>
        <translation>{living} living; {applications} hardship aid applications, CNY {paid} paid; {activities} activities; {deaths} deaths (as of {today}).</translation>
    </message>
    <message>
        <source>健在人员年龄结构（人）</source>
        <translation>Age structure of living members (people)</translation>
    </message>
    <message>
        <source>健在人员按类别（人）</source>
        <translation>Living members by category (people)</translation>
    </message>
    <message>
        <source>健在党员按党支部（人）</source>
        <translation>Living Party members by branch (people)</translation>
    </message>
    <message>
        <source>帮困救助每年已发放金额（元）</source>
        <translation>Hardship aid paid per year (CNY)</translation>
    </message>
    <message>
        <source>活动出席人数（人）</source>
        <translation>Activity attendance (people)</translation>
    </message>
    <message>
        <source>每年去世人数（人）</source>
        <translation>Deaths per year (people)</translation>
    </message>
    <message>
        <source>老干部情况分析</source>
        <translation>Retired cadres analysis</translation>
    </message>
    <message>
        <source>老干部情况分析.xlsx</source>
        <translation>Retired cadres analysis.xlsx</translation>
    </message>
</context>
<context>
    <name>AttachmentViewer</name>
    <message>
        <source>文件：{name}（{size}）</source>
        <translation>File: {name} ({size})</translation>
    </message>
    <message>
        <source>这类文件（{mime}）由电脑上的程序打开。</source>
        <translation>Files of this type ({mime}) are opened by a program on this computer.</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>用系统程序打开</source>
        <translation>Open with system program</translation>
    </message>
</context>
<context>
    <name>BranchSection</name>
    <message>
        <source>党支部</source>
        <translation>Party branch</translation>
    </message>
    <message>
        <source>党支部：</source>
        <translation>Party branch:</translation>
    </message>
    <message>
        <source>添加党员</source>
        <translation>Add Party member</translation>
    </message>
    <message>
        <source>记录任职变动</source>
        <translation>Record change of office</translation>
    </message>
    <message>
        <source>职务</source>
        <translation>Post</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>任期开始</source>
        <translation>Term start</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>任期结束</source>
        <translation>Term end</translation>
    </message>
    <message>
        <source>入支部日期</source>
        <translation>Joined on</translation>
    </message>
    <message>
        <source>离开日期</source>
        <translation>Left on</translation>
    </message>
    <message>
        <source>现任书记和委员</source>
        <translation>Current secretary and committee</translation>
    </message>
    <message>
        <source>历任情况</source>
        <translation>Past office holders</translation>
    </message>
    <message>
        <source>支部党员</source>
        <translation>Branch members</translation>
    </message>
    <message>
        <source>现任委员 {a} 人，历任 {b} 人次，党员 {c} 人</source>
        <translation>{a} current committee members, {b} past terms, {c} Party members</translation>
    </message>
    <message>
        <source>现任委员</source>
        <translation>Current committee</translation>
    </message>
</context>
<context>
    <name>CadreCare</name>
    <message>
        <source>书记</source>
        <translation>Secretary</translation>
    </message>
    <message>
        <source>副书记</source>
        <translation>Deputy secretary</translation>
    </message>
    <message>
        <source>组织委员</source>
        <translation>Organisation member</translation>
    </message>
    <message>
        <source>宣传委员</source>
        <translation>Publicity member</translation>
    </message>
    <message>
        <source>纪检委员</source>
        <translation>Discipline member</translation>
    </message>
    <message>
        <source>委员</source>
        <translation>Committee member</translation>
    </message>
    <message>
        <source>已申请</source>
        <translation>Applied</translation>
    </message>
    <message>
        <source>已批准</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>未批准</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>已发放</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>筹划中</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>报名中</source>
        <translation>Open for sign-up</translation>
    </message>
    <message>
        <source>已举办</source>
        <translation>Held</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>走访</source>
        <translation>Home visit</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone call</translation>
    </message>
    <message>
        <source>慰问</source>
        <translation>Care visit</translation>
    </message>
    <message>
        <source>来访</source>
        <translation>Office visit</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>退休</source>
        <translation>Retired</translation>
    </message>
    <message>
        <source>离休</source>
        <translation>Retired (pre-1949)</translation>
    </message>
    <message>
        <source>改为离休</source>
        <translation>Changed to pre-1949 retirement</translation>
    </message>
    <message>
        <source>待遇调整</source>
        <translation>Treatment adjusted</translation>
    </message>
    <message>
        <source>去世</source>
        <translation>Died</translation>
    </message>
</context>
<context>
    <name>CadreFields</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Gender</translation>
    </message>
    <message>
        <source>民族</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>按农历过生日</source>
        <translation>Birthday by lunar calendar</translation>
    </message>
    <message>
        <source>籍贯</source>
        <translation>Native place</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>政治面貌</source>
        <translation>Political status</translation>
    </message>
    <message>
        <source>入党时间</source>
        <translation>Joined the Party</translation>
    </message>
    <message>
        <source>参加工作时间</source>
        <translation>Started work</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>离退休类别</source>
        <translation>Retirement type</translation>
    </message>
    <message>
        <source>离退休时间</source>
        <translation>Retired on</translation>
    </message>
    <message>
        <source>待遇级别</source>
        <translation>Treatment level</translation>
    </message>
    <message>
        <source>原单位</source>
        <translation>Former unit</translation>
    </message>
    <message>
        <source>原职务</source>
        <translation>Former post</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>邮政编码</source>
        <translation>Postcode</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>住宅电话</source>
        <translation>Home phone</translation>
    </message>
    <message>
        <source>健在</source>
        <translation>Living</translation>
    </message>
    <message>
        <source>去世日期</source>
        <translation>Died on</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>起始日期</source>
        <translation>Start date</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>End date</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>职务</source>
        <translation>Post</translation>
    </message>
    <message>
        <source>经历</source>
        <translation>Experience</translation>
    </message>
    <message>
        <source>关系</source>
        <translation>Relation</translation>
    </message>
    <message>
        <source>出生年份</source>
        <translation>Year of birth</translation>
    </message>
    <message>
        <source>工作单位</source>
        <translation>Workplace</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>紧急联系人</source>
        <translation>Emergency contact</translation>
    </message>
    <message>
        <source>医院</source>
        <translation>Hospital</translation>
    </message>
    <message>
        <source>病区</source>
        <translation>Ward</translation>
    </message>
    <message>
        <source>入院日期</source>
        <translation>Admitted on</translation>
    </message>
    <message>
        <source>出院日期</source>
        <translation>Discharged on</translation>
    </message>
    <message>
        <source>诊断</source>
        <translation>Diagnosis</translation>
    </message>
    <message>
        <source>人员类别</source>
        <translation>Personnel category</translation>
    </message>
    <message>
        <source>获奖日期</source>
        <translation>Awarded on</translation>
    </message>
    <message>
        <source>奖项名称</source>
        <translation>Award</translation>
    </message>
    <message>
        <source>级别</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>授予单位</source>
        <translation>Awarded by</translation>
    </message>
    <message>
        <source>文号</source>
        <translation>Document no.</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>敏感资料（仅有敏感信息权限者可见）</source>
        <translation>Sensitive (visible only with the sensitive-information permission)</translation>
    </message>
    <message>
        <source>即将离退休</source>
        <translation>Retiring soon</translation>
    </message>
    <message>
        <source>已离退休</source>
        <translation>Retired</translation>
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
        <source>离休</source>
        <translation>Retired (pre-1949)</translation>
    </message>
    <message>
        <source>退休</source>
        <translation>Retired</translation>
    </message>
    <message>
        <source>兴趣</source>
        <translation>Interest</translation>
    </message>
    <message>
        <source>特长</source>
        <translation>Skill</translation>
    </message>
    <message>
        <source>资料</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>照片</source>
        <translation>Photo</translation>
    </message>
    <message>
        <source>证书</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>配偶</source>
        <translation>Spouse</translation>
    </message>
    <message>
        <source>儿子</source>
        <translation>Son</translation>
    </message>
    <message>
        <source>女儿</source>
        <translation>Daughter</translation>
    </message>
    <message>
        <source>儿媳</source>
        <translation>Daughter-in-law</translation>
    </message>
    <message>
        <source>女婿</source>
        <translation>Son-in-law</translation>
    </message>
    <message>
        <source>孙子女</source>
        <translation>Grandchild</translation>
    </message>
    <message>
        <source>外孙子女</source>
        <translation>Grandchild (daughter&apos;s side)</translation>
    </message>
    <message>
        <source>兄弟姐妹</source>
        <translation>Sibling</translation>
    </message>
</context>
<context>
    <name>CadreNotices</name>
    <message>
        <source>活动</source>
        <translation>Activity</translation>
    </message>
    <message>
        <source>讣告</source>
        <translation>Obituary</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>通知</source>
        <translation>Notice</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已发布</source>
        <translation>Published</translation>
    </message>
    <message>
        <source>已撤回</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>发布于 {day}</source>
        <translation>Published {day}</translation>
    </message>
    <message>
        <source>尚未发布</source>
        <translation>Not yet published</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>For</translation>
    </message>
    <message>
        <source>只给 {name} 同志</source>
        <translation>Comrade {name} only</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>逝者</source>
        <translation>Deceased</translation>
    </message>
    <message>
        <source>文号</source>
        <translation>Document no.</translation>
    </message>
</context>
<context>
    <name>CadreReminders</name>
    <message>
        <source>生日</source>
        <translation>Birthday</translation>
    </message>
    <message>
        <source>退休</source>
        <translation>Retirement</translation>
    </message>
    <message>
        <source>住院探望</source>
        <translation>Hospital visit</translation>
    </message>
    <message>
        <source>纪念日</source>
        <translation>Anniversary</translation>
    </message>
</context>
<context>
    <name>CadreTables</name>
    <message>
        <source>{start} 至今</source>
        <translation>{start} to date</translation>
    </message>
    <message>
        <source>{start} 至 {end}</source>
        <translation>{start} to {end}</translation>
    </message>
    <message>
        <source>兴趣特长</source>
        <translation>Interests</translation>
    </message>
    <message>
        <source>生平</source>
        <translation>Life story</translation>
    </message>
    <message>
        <source>家庭成员</source>
        <translation>Family</translation>
    </message>
    <message>
        <source>住院记录</source>
        <translation>Hospital stays</translation>
    </message>
    <message>
        <source>人员类别</source>
        <translation>Categories</translation>
    </message>
    <message>
        <source>获奖</source>
        <translation>Awards</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>起止时间</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>职务</source>
        <translation>Post</translation>
    </message>
    <message>
        <source>经历</source>
        <translation>Experience</translation>
    </message>
    <message>
        <source>紧急联系人</source>
        <translation>Emergency contact</translation>
    </message>
    <message>
        <source>★ 紧急联系人</source>
        <translation>★ Emergency contact</translation>
    </message>
    <message>
        <source>关系</source>
        <translation>Relation</translation>
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
        <source>出生年份</source>
        <translation>Year of birth</translation>
    </message>
    <message>
        <source>工作单位</source>
        <translation>Workplace</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>医院</source>
        <translation>Hospital</translation>
    </message>
    <message>
        <source>病区</source>
        <translation>Ward</translation>
    </message>
    <message>
        <source>入院日期</source>
        <translation>Admitted on</translation>
    </message>
    <message>
        <source>出院日期</source>
        <translation>Discharged on</translation>
    </message>
    <message>
        <source>仍在住院</source>
        <translation>Still in hospital</translation>
    </message>
    <message>
        <source>诊断</source>
        <translation>Diagnosis</translation>
    </message>
    <message>
        <source>类别代码</source>
        <translation>Category code</translation>
    </message>
    <message>
        <source>类别名称</source>
        <translation>Category name</translation>
    </message>
    <message>
        <source>获奖日期</source>
        <translation>Awarded on</translation>
    </message>
    <message>
        <source>奖项名称</source>
        <translation>Award</translation>
    </message>
    <message>
        <source>级别</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>授予单位</source>
        <translation>Awarded by</translation>
    </message>
    <message>
        <source>文号</source>
        <translation>Document no.</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>删除所选的这一条{what}？删除后会同步到其他电脑。</source>
        <translation>Delete the selected {what} entry? The deletion is synchronised to the other computers.</translation>
    </message>
</context>
<context>
    <name>CadreWindow</name>
    <message>
        <source>老干部</source>
        <translation>Retired Cadres</translation>
    </message>
</context>
<context>
    <name>CarePage</name>
    <message>
        <source>党支部</source>
        <translation>Party branch</translation>
    </message>
    <message>
        <source>帮困救助</source>
        <translation>Hardship aid</translation>
    </message>
    <message>
        <source>活动</source>
        <translation>Activities</translation>
    </message>
    <message>
        <source>体检</source>
        <translation>Checkups</translation>
    </message>
    <message>
        <source>联络关怀</source>
        <translation>Contact and care</translation>
    </message>
    <message>
        <source>工作管理</source>
        <translation>Services</translation>
    </message>
</context>
<context>
    <name>CareSection</name>
    <message>
        <source>导出 Excel</source>
        <translation>Export to Excel</translation>
    </message>
</context>
<context>
    <name>CheckupSection</name>
    <message>
        <source>体检</source>
        <translation>Checkups</translation>
    </message>
    <message>
        <source>安排体检</source>
        <translation>Schedule checkup</translation>
    </message>
    <message>
        <source>登记体检结果</source>
        <translation>Record checkup result</translation>
    </message>
    <message>
        <source>体检安排和结果属于健康信息，只有具备敏感信息权限的工作人员可以查阅。同步服务器不向您的角色发送体检记录，本机不保存；若收到屏蔽的记录，屏蔽的内容显示为 ******。</source>
        <translation>Checkup schedules and results are health information that only staff with the sensitive-information permission may read. The sync server does not send checkup records to your role and this computer keeps none; masked content of any record received is shown as ******.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>安排日期</source>
        <translation>Scheduled on</translation>
    </message>
    <message>
        <source>体检日期</source>
        <translation>Checkup date</translation>
    </message>
    <message>
        <source>医院</source>
        <translation>Hospital</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>体检安排与结果</source>
        <translation>Checkup schedule and results</translation>
    </message>
    <message>
        <source>本机共 {n} 条体检记录，已体检 {d} 人次</source>
        <translation>{n} checkup records on this computer, {d} checkups done</translation>
    </message>
    <message>
        <source>体检医院</source>
        <translation>Checkup hospital</translation>
    </message>
    <message>
        <source>请先在列表中选择一条体检安排</source>
        <translation>Select a checkup in the list first</translation>
    </message>
    <message>
        <source>体检结论</source>
        <translation>Checkup conclusion</translation>
    </message>
    <message>
        <source>体检结果</source>
        <translation>Checkup result</translation>
    </message>
    <message>
        <source>登记体检结果：{name}</source>
        <translation>Record checkup result: {name}</translation>
    </message>
</context>
<context>
    <name>ContactSection</name>
    <message>
        <source>联络关怀</source>
        <translation>Contact and care</translation>
    </message>
    <message>
        <source>登记走访联络</source>
        <translation>Record visit or contact</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>方式</source>
        <translation>Means</translation>
    </message>
    <message>
        <source>走访人</source>
        <translation>Visited by</translation>
    </message>
    <message>
        <source>情况记录</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>变动</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>变动前</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>变动后</source>
        <translation>After</translation>
    </message>
    <message>
        <source>文号</source>
        <translation>Document no.</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>送阅日期</source>
        <translation>Sent on</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>收到日期</source>
        <translation>Received on</translation>
    </message>
    <message>
        <source>走访联络</source>
        <translation>Visits and contacts</translation>
    </message>
    <message>
        <source>离退休状态变动</source>
        <translation>Retirement status changes</translation>
    </message>
    <message>
        <source>文件送阅</source>
        <translation>Documents sent</translation>
    </message>
    <message>
        <source>走访联络 {a} 次，状态变动 {b} 条，文件送阅 {c} 份</source>
        <translation>{a} visits and contacts, {b} status changes, {c} documents sent</translation>
    </message>
</context>
<context>
    <name>DocumentsTab</name>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>查看</source>
        <translation>View</translation>
    </message>
    <message>
        <source>添加文件…</source>
        <translation>Add file…</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>设为照片</source>
        <translation>Use as photo</translation>
    </message>
    <message>
        <source>标为敏感的资料（如病历、身份证件扫描件）只发给有敏感信息权限（cadre.sensitive）的人，不在此列出。</source>
        <translation>Documents marked sensitive (such as medical records or ID scans) go only to people with the sensitive-information permission (cadre.sensitive) and are not listed here.</translation>
    </message>
    <message>
        <source>文档与照片</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>（敏感）</source>
        <translation> (sensitive)</translation>
    </message>
    <message>
        <source>（无文件）</source>
        <translation>(no file)</translation>
    </message>
    <message>
        <source>共 {n} 份，其中照片和图片 {m} 张</source>
        <translation>{n} items, {m} of them photos or images</translation>
    </message>
    <message>
        <source>还没有文档或照片</source>
        <translation>No documents or photos yet</translation>
    </message>
    <message>
        <source>文件还不能打开：{error}</source>
        <translation>The file cannot be opened yet: {error}</translation>
    </message>
    <message>
        <source>“{title}”没有文件。</source>
        <translation>&quot;{title}&quot; has no file.</translation>
    </message>
    <message>
        <source>文件“{name}”无法读取：内容已损坏或不是可显示的图片，没有打开。</source>
        <translation>File &quot;{name}&quot; cannot be read: it is damaged or not a displayable image; not opened.</translation>
    </message>
    <message>
        <source>选择文件</source>
        <translation>Choose file</translation>
    </message>
    <message>
        <source>照片和文档 (*.png *.jpg *.jpeg *.tif *.tiff *.pdf *.docx *.xlsx *.ofd *.txt)</source>
        <translation>Photos and documents (*.png *.jpg *.jpeg *.tif *.tiff *.pdf *.docx *.xlsx *.ofd *.txt)</translation>
    </message>
    <message>
        <source>没有添加：{why}</source>
        <translation>Not added: {why}</translation>
    </message>
    <message>
        <source>没有添加：文件“{name}”无法读取（{error}）</source>
        <translation>Not added: file &quot;{name}&quot; cannot be read ({error})</translation>
    </message>
    <message>
        <source>没有添加：文件“{name}”不是可显示的图片（内容已损坏）</source>
        <translation>Not added: file &quot;{name}&quot; is not a displayable image (damaged)</translation>
    </message>
    <message>
        <source>添加文档或照片——{name}</source>
        <translation>Add document or photo — {name}</translation>
    </message>
    <message>
        <source>修改文档或照片——{name}</source>
        <translation>Edit document or photo — {name}</translation>
    </message>
    <message>
        <source>文档或照片</source>
        <translation>Document or photo</translation>
    </message>
    <message>
        <source>请选择一张照片或图片再设为照片。</source>
        <translation>Select a photo or image to use as the photo.</translation>
    </message>
    <message>
        <source>照片还不能取得：{error}</source>
        <translation>The photo cannot be fetched yet: {error}</translation>
    </message>
    <message>
        <source>照片的文件还没有同步到本机。</source>
        <translation>The photo file has not been synchronised to this computer yet.</translation>
    </message>
</context>
<context>
    <name>FieldsTab</name>
    <message>
        <source>登记项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>修改所选项目</source>
        <translation>Edit selected item</translation>
    </message>
    <message>
        <source>其他登记</source>
        <translation>Other records</translation>
    </message>
    <message>
        <source>敏感信息，您的角色无权查看</source>
        <translation>Sensitive; your role may not view it</translation>
    </message>
    <message>
        <source>必填</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>敏感</source>
        <translation>Sensitive</translation>
    </message>
    <message>
        <source>系统管理员定义的登记项目 {n} 项</source>
        <translation>{n} items defined by the administrator</translation>
    </message>
    <message>
        <source>系统管理员还没有定义其他登记项目</source>
        <translation>The administrator has not defined any other items yet</translation>
    </message>
    <message>
        <source>其他登记——{name}</source>
        <translation>Other records — {name}</translation>
    </message>
</context>
<context>
    <name>InterfacesPage</name>
    <message>
        <source>人事任免系统接口（拉取即将离退休人员）</source>
        <translation>Appointments system link (people about to retire)</translation>
    </message>
    <message>
        <source>接口地址：</source>
        <translation>Address:</translation>
    </message>
    <message>
        <source>接口类型：</source>
        <translation>Adapter:</translation>
    </message>
    <message>
        <source>接收位置：</source>
        <translation>Cursor:</translation>
    </message>
    <message>
        <source>上次拉取：</source>
        <translation>Last pull:</translation>
    </message>
    <message>
        <source>累计导入文件：</source>
        <translation>Files imported:</translation>
    </message>
    <message>
        <source>说明：</source>
        <translation>Details:</translation>
    </message>
    <message>
        <source>留空则用环境变量 {name}</source>
        <translation>Leave empty to use the environment variable {name}</translation>
    </message>
    <message>
        <source>从头拉取（系统更换地址后使用；已导入的人员不会重复）</source>
        <translation>Pull from the start (after the system moved; people already imported are not repeated)</translation>
    </message>
    <message>
        <source>拉取</source>
        <translation>Pull</translation>
    </message>
    <message>
        <source>拉取地址：</source>
        <translation>Pull from:</translation>
    </message>
    <message>
        <source>接口口令：</source>
        <translation>Token:</translation>
    </message>
    <message>
        <source>口令只用于这一次拉取，不会保存。</source>
        <translation>The token is used for this pull only and is not saved.</translation>
    </message>
    <message>
        <source>办公系统公文交换</source>
        <translation>Document exchange with the office system</translation>
    </message>
    <message>
        <source>导入公文包…</source>
        <translation>Import package…</translation>
    </message>
    <message>
        <source>导出公文包…</source>
        <translation>Export packages…</translation>
    </message>
    <message>
        <source>导出此日起的公文：</source>
        <translation>Export the documents since:</translation>
    </message>
    <message>
        <source>导入：选择办公系统发来的 .zip 交换包，或交换包文件夹中的 manifest.json；有任何问题整包不导入。导出：本处发布的通知公告和送阅公文，每份公文一个 .zip。</source>
        <translation>Import: choose a .zip package from the office system, or the manifest.json in a package folder; if anything is wrong nothing of the package is imported. Export: the notices published here and the documents sent, one .zip per document.</translation>
    </message>
    <message>
        <source>您的角色可以查看接口状态，不能拉取、导入或导出。</source>
        <translation>Your role may view the link and exchange, but not pull, import or export.</translation>
    </message>
    <message>
        <source>接口与交换</source>
        <translation>Links and exchange</translation>
    </message>
    <message>
        <source>（还没有拉取过）</source>
        <translation>(never pulled)</translation>
    </message>
    <message>
        <source>（从头开始）</source>
        <translation>(from the start)</translation>
    </message>
    <message>
        <source>还没有从人事任免系统拉取过</source>
        <translation>Nothing pulled from the appointments system yet</translation>
    </message>
    <message>
        <source>成功</source>
        <translation>succeeded</translation>
    </message>
    <message>
        <source>失败</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>{when}（北京时间），结果：{result}</source>
        <translation>{when} (Beijing time), {result}</translation>
    </message>
    <message>
        <source>{n} 个</source>
        <translation>{n}</translation>
    </message>
    <message>
        <source>请填写人事任免系统的接口地址（https://…）。</source>
        <translation>Please enter the appointments system&apos;s address (https://…).</translation>
    </message>
    <message>
        <source>正在连接人事任免系统…</source>
        <translation>Connecting to the appointments system…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>拉取即将离退休人员</source>
        <translation>Pull people about to retire</translation>
    </message>
    <message>
        <source>正在拉取…</source>
        <translation>Pulling…</translation>
    </message>
    <message>
        <source>正在下载</source>
        <translation>Downloading</translation>
    </message>
    <message>
        <source>正在导入</source>
        <translation>Importing</translation>
    </message>
    <message>
        <source>{stage}：第 {n} 个文件，共 {total} 个</source>
        <translation>{stage}: file {n} of {total}</translation>
    </message>
    <message>
        <source>没有拉取成功：{why}</source>
        <translation>The pull did not succeed: {why}</translation>
    </message>
    <message>
        <source>拉取意外中断（{kind}：{why}）。已导入的文件和接收位置一致，可以稍后重新拉取；如反复出现请联系信息中心。</source>
        <translation>The pull stopped unexpectedly ({kind}: {why}). The files imported and the cursor agree; you may pull again later. If it keeps happening, please contact the IT centre.</translation>
    </message>
    <message>
        <source>已取消拉取。此前已导入的文件保留，接收位置停在最后导入的文件之后。</source>
        <translation>Pull cancelled. Files imported before stay; the cursor is after the last of them.</translation>
    </message>
    <message>
        <source>选择公文交换包</source>
        <translation>Choose a document package</translation>
    </message>
    <message>
        <source>公文交换包（*.zip manifest.json）</source>
        <translation>Document packages (*.zip manifest.json)</translation>
    </message>
    <message>
        <source>选择导出位置（文件夹）</source>
        <translation>Choose where to export (a folder)</translation>
    </message>
    <message>
        <source>公文交换意外中断（{kind}：{why}），未做任何改动。如反复出现请联系信息中心。</source>
        <translation>The exchange stopped unexpectedly ({kind}: {why}); nothing was changed. If it keeps happening, please contact the IT centre.</translation>
    </message>
    <message>
        <source>送阅：{names}</source>
        <translation>Sent to: {names}</translation>
    </message>
    <message>
        <source>已导出 {n} 个公文交换包到“{folder}”。</source>
        <translation>Exported {n} packages to “{folder}”.</translation>
    </message>
    <message>
        <source>{day} 以来没有可导出的公文，没有写入文件。</source>
        <translation>No documents to export since {day}; no file written.</translation>
    </message>
</context>
<context>
    <name>LabelSheets</name>
    <message>
        <source>A4 2×7（99.1×38.1 毫米）</source>
        <translation>A4 2×7 (99.1×38.1 mm)</translation>
    </message>
    <message>
        <source>A4 3×8（70×37 毫米）</source>
        <translation>A4 3×8 (70×37 mm)</translation>
    </message>
    <message>
        <source>A4 2×4 信封标签（99.1×67.7 毫米）</source>
        <translation>A4 2×4 envelope labels (99.1×67.7 mm)</translation>
    </message>
</context>
<context>
    <name>LabelsDialog</name>
    <message>
        <source>打印地址标签</source>
        <translation>Print address labels</translation>
    </message>
    <message>
        <source>画出标签边框（在普通纸上试印）</source>
        <translation>Draw label borders (test print on plain paper)</translation>
    </message>
    <message>
        <source>打印预览…</source>
        <translation>Print preview…</translation>
    </message>
    <message>
        <source>另存为 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>标签纸：</source>
        <translation>Label sheet:</translation>
    </message>
    <message>
        <source>共 {n} 张标签。</source>
        <translation>{n} labels.</translation>
    </message>
    <message>
        <source>以下 {n} 人没有登记地址，不打印：{names}</source>
        <translation> Not printed, no address on record ({n}): {names}</translation>
    </message>
    <message>
        <source>地址标签</source>
        <translation>Address labels</translation>
    </message>
    <message>
        <source>另存为 PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>地址标签.pdf</source>
        <translation>Address labels.pdf</translation>
    </message>
</context>
<context>
    <name>LinkShownDialog</name>
    <message>
        <source>专属链接（只显示这一次）</source>
        <translation>Personal link (shown this once)</translation>
    </message>
    <message>
        <source>复制</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>{name} 同志的专属链接，有效期至 {day}：</source>
        <translation>{name}&apos;s personal link, valid until {day}:</translation>
    </message>
    <message>
        <source>这个链接只显示这一次，关闭后不能再查看（系统只保存它的摘要）。请直接交给本人；如果遗失，请停用后重新生成。</source>
        <translation>This link is shown only this once and cannot be seen again after closing (only its digest is kept). Give it to the person directly; if it is lost, revoke it and make a new one.</translation>
    </message>
    <message>
        <source>我已交给本人，关闭</source>
        <translation>Given to the person — close</translation>
    </message>
    <message>
        <source>已复制到剪贴板。</source>
        <translation>Copied to the clipboard.</translation>
    </message>
</context>
<context>
    <name>NoticeDialog</name>
    <message>
        <source>修改通知草稿</source>
        <translation>Edit draft notice</translation>
    </message>
    <message>
        <source>新建通知</source>
        <translation>New notice</translation>
    </message>
    <message>
        <source>例如：重阳节茶话会通知</source>
        <translation>e.g. Double Ninth tea party</translation>
    </message>
    <message>
        <source>（请选择活动）</source>
        <translation>(choose the activity)</translation>
    </message>
    <message>
        <source>（请选择逝者）</source>
        <translation>(choose the deceased)</translation>
    </message>
    <message>
        <source>例如：沪人大办〔2026〕21号</source>
        <translation>e.g. 沪人大办〔2026〕21号</translation>
    </message>
    <message>
        <source>全体老同志</source>
        <translation>All retirees</translation>
    </message>
    <message>
        <source>只给一位老同志</source>
        <translation>One retiree only</translation>
    </message>
    <message>
        <source>（请选择老同志）</source>
        <translation>(choose the retiree)</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>活动</source>
        <translation>Activity</translation>
    </message>
    <message>
        <source>逝者</source>
        <translation>Deceased</translation>
    </message>
    <message>
        <source>文号</source>
        <translation>Document no.</translation>
    </message>
    <message>
        <source>发给</source>
        <translation>Send to</translation>
    </message>
    <message>
        <source>老同志</source>
        <translation>Retiree</translation>
    </message>
    <message>
        <source>正文</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>{label}：</source>
        <translation>{label}:</translation>
    </message>
    <message>
        <source>保存草稿</source>
        <translation>Save draft</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>手机上看到的样子</source>
        <translation>As shown on the phone</translation>
    </message>
    <message>
        <source>发布后，已绑定微信的 {n} 位老同志会收到微信消息。</source>
        <translation>Once published, the {n} retirees with WeChat bound get a WeChat message.</translation>
    </message>
</context>
<context>
    <name>NoticesPage</name>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Drafts</translation>
    </message>
    <message>
        <source>已发布</source>
        <translation>Published</translation>
    </message>
    <message>
        <source>已撤回</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>新建通知…</source>
        <translation>New notice…</translation>
    </message>
    <message>
        <source>修改草稿…</source>
        <translation>Edit draft…</translation>
    </message>
    <message>
        <source>发布…</source>
        <translation>Publish…</translation>
    </message>
    <message>
        <source>撤回…</source>
        <translation>Withdraw…</translation>
    </message>
    <message>
        <source>专属链接与微信…</source>
        <translation>Links and WeChat…</translation>
    </message>
    <message>
        <source>为老同志生成专属链接、登记或解除微信绑定</source>
        <translation>Make a retiree&apos;s personal link, bind or unbind WeChat</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>State:</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>发给</source>
        <translation>For</translation>
    </message>
    <message>
        <source>发布日期</source>
        <translation>Published</translation>
    </message>
    <message>
        <source>微信推送</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <source>手机上看到的样子</source>
        <translation>As shown on the phone</translation>
    </message>
    <message>
        <source>老同志是否已读没有记录：门户不记录谁打开了通知。</source>
        <translation>Whether a retiree has read a notice is not recorded: the portal keeps no record of who opened it.</translation>
    </message>
    <message>
        <source>您的角色可以查阅通知，不能起草、发布或撤回。</source>
        <translation>Your role may read the notices, not draft, publish or withdraw them.</translation>
    </message>
    <message>
        <source>通知公告</source>
        <translation>Notices</translation>
    </message>
    <message>
        <source>只给 {name}</source>
        <translation>{name} only</translation>
    </message>
    <message>
        <source>全体老同志</source>
        <translation>All retirees</translation>
    </message>
    <message>
        <source>无人绑定微信</source>
        <translation>No one with WeChat</translation>
    </message>
    <message>
        <source>已发 {sent} / 共 {n}</source>
        <translation>{sent} of {n} sent</translation>
    </message>
    <message>
        <source>，失败 {f}</source>
        <translation>, {f} failed</translation>
    </message>
    <message>
        <source>共 {n} 条：草稿 {d} 条，已发布 {p} 条</source>
        <translation>{n} notices: {d} drafts, {p} published</translation>
    </message>
    <message>
        <source>这条通知已撤回。老同志打开时看到“这条通知已撤回”，看不到标题和正文。</source>
        <translation>This notice was withdrawn. Retirees who open it see “This notice has been withdrawn”, without its title or text.</translation>
    </message>
    <message>
        <source>只有草稿可以修改；已发布的通知请撤回后新建一条。</source>
        <translation>Only a draft can be edited; withdraw a published notice and write a new one.</translation>
    </message>
    <message>
        <source>已保存草稿。草稿不公开，发布后老同志才看得到。</source>
        <translation>Draft saved. Drafts are not public: retirees see a notice once it is published.</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请先在列表中选择一条草稿</source>
        <translation>Choose a draft in the list first</translation>
    </message>
    <message>
        <source>只有 {name} 同志能在本人页面上看到</source>
        <translation>only Comrade {name} sees it, on their own page</translation>
    </message>
    <message>
        <source>全体老同志都能在手机页面上看到</source>
        <translation>every retiree sees it on the phone pages</translation>
    </message>
    <message>
        <source>发布“{title}”？

发布后{who}，已绑定微信的 {n} 位老同志会收到微信消息。发布后不能修改，只能撤回。</source>
        <translation>Publish “{title}”?

Once published, {who}, and the {n} retirees with WeChat bound get a WeChat message. A published notice cannot be edited, only withdrawn.</translation>
    </message>
    <message>
        <source>发布通知</source>
        <translation>Publish notice</translation>
    </message>
    <message>
        <source>确认发布</source>
        <translation>Publish</translation>
    </message>
    <message>
        <source>没有发布：{why}</source>
        <translation>Not published: {why}</translation>
    </message>
    <message>
        <source>已发布；微信消息排队 {n} 条，下次同步后由服务器发出。</source>
        <translation>Published; {n} WeChat messages queued, sent by the server after the next sync.</translation>
    </message>
    <message>
        <source>请先在列表中选择一条已发布的通知</source>
        <translation>Choose a published notice in the list first</translation>
    </message>
    <message>
        <source>撤回“{title}”？

撤回后老同志打开它只看到“这条通知已撤回”。已经发出的微信消息不能收回。撤回后不能再发布，只能新建一条。</source>
        <translation>Withdraw “{title}”?

Retirees who open it will only see “This notice has been withdrawn”. WeChat messages already sent cannot be recalled. A withdrawn notice cannot be published again; write a new one instead.</translation>
    </message>
    <message>
        <source>撤回通知</source>
        <translation>Withdraw notice</translation>
    </message>
    <message>
        <source>确认撤回</source>
        <translation>Withdraw</translation>
    </message>
    <message>
        <source>没有撤回：{why}</source>
        <translation>Not withdrawn: {why}</translation>
    </message>
    <message>
        <source>已撤回。</source>
        <translation>Withdrawn.</translation>
    </message>
</context>
<context>
    <name>PeoplePage</name>
    <message>
        <source>姓名、拼音或首字母，例如 zhangsan 或 zs</source>
        <translation>Name, pinyin or initials, e.g. zhangsan or zs</translation>
    </message>
    <message>
        <source>导出 Excel</source>
        <translation>Export to Excel</translation>
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
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>原单位</source>
        <translation>Former unit</translation>
    </message>
    <message>
        <source>原职务</source>
        <translation>Former post</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>离休</source>
        <translation>Retired (pre-1949)</translation>
    </message>
    <message>
        <source>退休</source>
        <translation>Retired</translation>
    </message>
    <message>
        <source>即将退休</source>
        <translation>Retiring soon</translation>
    </message>
    <message>
        <source>健在</source>
        <translation>Living</translation>
    </message>
    <message>
        <source>已故</source>
        <translation>Deceased</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>Any</translation>
    </message>
    <message>
        <source>发送短信…</source>
        <translation>Send SMS…</translation>
    </message>
    <message>
        <source>打印地址标签…</source>
        <translation>Print address labels…</translation>
    </message>
    <message>
        <source>短信模板…</source>
        <translation>SMS templates…</translation>
    </message>
    <message>
        <source>查找：</source>
        <translation>Find:</translation>
    </message>
    <message>
        <source>人员类别</source>
        <translation>Personnel category</translation>
    </message>
    <message>
        <source>离退休</source>
        <translation>Retirement</translation>
    </message>
    <message>
        <source>党支部</source>
        <translation>Party branch</translation>
    </message>
    <message>
        <source>年龄</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>名册</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>{name}（已故）</source>
        <translation>{name} (deceased)</translation>
    </message>
    <message>
        <source>共 {n} 人</source>
        <translation>{n} people</translation>
    </message>
    <message>
        <source>老干部名册</source>
        <translation>Retired cadres register</translation>
    </message>
    <message>
        <source>老干部名册.xlsx</source>
        <translation>Retired cadres register.xlsx</translation>
    </message>
</context>
<context>
    <name>PersonPage</name>
    <message>
        <source>返回名册</source>
        <translation>Back to register</translation>
    </message>
    <message>
        <source>修改基本信息</source>
        <translation>Edit basic information</translation>
    </message>
    <message>
        <source>只读：您的角色可以查看，不能修改老干部信息。</source>
        <translation>Read-only: your role may view but not change retired cadres&apos; records.</translation>
    </message>
    <message>
        <source>基本信息</source>
        <translation>Basic information</translation>
    </message>
    <message>
        <source>{label}：</source>
        <translation>{label}:</translation>
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
        <source>民族</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>籍贯</source>
        <translation>Native place</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>政治面貌</source>
        <translation>Political status</translation>
    </message>
    <message>
        <source>入党时间</source>
        <translation>Joined the Party</translation>
    </message>
    <message>
        <source>参加工作时间</source>
        <translation>Started work</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>离退休类别</source>
        <translation>Retirement type</translation>
    </message>
    <message>
        <source>离退休时间</source>
        <translation>Retired on</translation>
    </message>
    <message>
        <source>法定退休日期</source>
        <translation>Statutory retirement date</translation>
    </message>
    <message>
        <source>待遇级别</source>
        <translation>Treatment level</translation>
    </message>
    <message>
        <source>原单位</source>
        <translation>Former unit</translation>
    </message>
    <message>
        <source>原职务</source>
        <translation>Former post</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>邮政编码</source>
        <translation>Postcode</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>住宅电话</source>
        <translation>Home phone</translation>
    </message>
    <message>
        <source>去世日期</source>
        <translation>Died on</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>{name}（已故）</source>
        <translation>{name} (deceased)</translation>
    </message>
    <message>
        <source>（按农历过生日）</source>
        <translation> (birthday by lunar calendar)</translation>
    </message>
    <message>
        <source>身份证号已遮盖：您的角色没有敏感信息权限（cadre.sensitive）。</source>
        <translation>ID number masked: your role lacks the sensitive-information permission (cadre.sensitive).</translation>
    </message>
    <message>
        <source>电话和住址已遮盖：您的角色没有查看联系方式的权限（pii.contact）。</source>
        <translation>Phones and address masked: your role lacks the contact-details permission (pii.contact).</translation>
    </message>
    <message>
        <source>未上传照片</source>
        <translation>No photo uploaded</translation>
    </message>
    <message>
        <source>照片尚未同步到本机</source>
        <translation>Photo not yet synchronised to this computer</translation>
    </message>
    <message>
        <source>照片无法读取</source>
        <translation>Photo cannot be read</translation>
    </message>
    <message>
        <source>修改基本信息——{name}</source>
        <translation>Edit basic information — {name}</translation>
    </message>
    <message>
        <source>本机数据库正忙，没有保存，请再点一次“保存”。</source>
        <translation>The local database is busy; nothing was saved. Click &quot;Save&quot; again.</translation>
    </message>
    <message>
        <source>没有保存：{why}</source>
        <translation>Not saved: {why}</translation>
    </message>
    <message>
        <source>已保存到本机，将在下次同步时上传。</source>
        <translation>Saved on this computer; it will be uploaded at the next sync.</translation>
    </message>
    <message>
        <source>文件：{why}</source>
        <translation>File: {why}</translation>
    </message>
    <message>
        <source>这位人员已不在名册中，没有保存</source>
        <translation>This person is no longer in the register; not saved</translation>
    </message>
</context>
<context>
    <name>PersonReachDialog</name>
    <message>
        <source>专属链接与微信绑定</source>
        <translation>Personal links and WeChat</translation>
    </message>
    <message>
        <source>老同志：</source>
        <translation>Retiree:</translation>
    </message>
    <message>
        <source>专属链接（老同志不用登录即可查看发给本人的通知）</source>
        <translation>Personal links (the retiree sees the notices for them without signing in)</translation>
    </message>
    <message>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <source>门户地址：</source>
        <translation>Portal address:</translation>
    </message>
    <message>
        <source>有效期：</source>
        <translation>Valid for:</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <source>生成专属链接…</source>
        <translation>Make a link…</translation>
    </message>
    <message>
        <source>停用链接</source>
        <translation>Revoke link</translation>
    </message>
    <message>
        <source>微信绑定（发布通知时经公众号推送）</source>
        <translation>WeChat (published notices are pushed through the official account)</translation>
    </message>
    <message>
        <source>老同志关注公众号后的 openid</source>
        <translation>The retiree&apos;s openid after following the account</translation>
    </message>
    <message>
        <source>绑定微信</source>
        <translation>Bind WeChat</translation>
    </message>
    <message>
        <source>解除绑定</source>
        <translation>Unbind</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>有效</source>
        <translation>valid</translation>
    </message>
    <message>
        <source>已停用</source>
        <translation>revoked</translation>
    </message>
    <message>
        <source>已过期</source>
        <translation>expired</translation>
    </message>
    <message>
        <source>已绑定</source>
        <translation>bound</translation>
    </message>
    <message>
        <source>已解除</source>
        <translation>unbound</translation>
    </message>
    <message>
        <source>没有生成：{why}</source>
        <translation>Not made: {why}</translation>
    </message>
    <message>
        <source>已生成专属链接，有效期至 {day}。</source>
        <translation>Link made, valid until {day}.</translation>
    </message>
    <message>
        <source>请先选择一个链接</source>
        <translation>Please choose a link first</translation>
    </message>
    <message>
        <source>没有停用：{why}</source>
        <translation>Not revoked: {why}</translation>
    </message>
    <message>
        <source>已停用这个链接，老同志再打开它会看到链接已失效。</source>
        <translation>The link is revoked; opening it now says it is no longer valid.</translation>
    </message>
    <message>
        <source>已绑定微信；此后发布的通知也经微信推送给这位老同志。</source>
        <translation>WeChat bound; notices published from now on are also pushed to this retiree by WeChat.</translation>
    </message>
    <message>
        <source>请先选择一个微信绑定</source>
        <translation>Please choose a WeChat binding first</translation>
    </message>
    <message>
        <source>没有解除：{why}</source>
        <translation>Not unbound: {why}</translation>
    </message>
    <message>
        <source>已解除绑定，这个微信不再收到通知。</source>
        <translation>Unbound; this WeChat account no longer receives notices.</translation>
    </message>
</context>
<context>
    <name>PhotoStrip</name>
    <message>
        <source>查看照片</source>
        <translation>View photo</translation>
    </message>
    <message>
        <source>这项活动还没有照片。</source>
        <translation>No photos of this activity yet.</translation>
    </message>
    <message>
        <source>请在上面的列表中选择一项活动。</source>
        <translation>Choose an activity in the list above.</translation>
    </message>
    <message>
        <source>照片还不能打开：{error}</source>
        <translation>The photo cannot be opened yet: {error}</translation>
    </message>
    <message>
        <source>照片“{name}”无法读取：内容已损坏或不是可显示的图片，没有打开。</source>
        <translation>The photo “{name}” cannot be read: the content is damaged or not a picture that can be shown; not opened.</translation>
    </message>
    <message>
        <source>{title}——{name}</source>
        <translation>{title} — {name}</translation>
    </message>
</context>
<context>
    <name>RemindersPage</name>
    <message>
        <source>今后 {n} 天</source>
        <translation>Next {n} days</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>还有</source>
        <translation>Due in</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>提醒范围：</source>
        <translation>Show reminders for:</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Reminders</translation>
    </message>
    <message>
        <source>已过 {n} 天</source>
        <translation>{n} days ago</translation>
    </message>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>{n} 天</source>
        <translation>{n} days</translation>
    </message>
    <message>
        <source>（整寿）</source>
        <translation> (milestone birthday)</translation>
    </message>
    <message>
        <source>共 {n} 条</source>
        <translation>Entries: {n}</translation>
    </message>
    <message>
        <source>农历{lunar}</source>
        <translation>lunar calendar: month {month}, day {day}</translation>
    </message>
    <message>
        <source>公历{month}月{day}日</source>
        <translation>solar calendar: {month}/{day}</translation>
    </message>
    <message>
        <source>{name} {age} 岁生日（{note}）</source>
        <translation>{name} turns {age} ({note})</translation>
    </message>
    <message>
        <source>，逢十大寿</source>
        <translation>, a round-number birthday</translation>
    </message>
    <message>
        <source>{name} 已于 {date} 到法定退休时间，尚未办理退休</source>
        <translation>{name} reached the statutory retirement date on {date} and has not yet retired</translation>
    </message>
    <message>
        <source>{name} 将于 {date} 到法定退休时间</source>
        <translation>{name} reaches the statutory retirement date on {date}</translation>
    </message>
    <message>
        <source>{name} 自 {date} 起在{place}住院，宜探望</source>
        <translation>{name} has been in {place} since {date}: a visit is due</translation>
    </message>
    <message>
        <source>{name} 自 {date} 起住院，宜探望</source>
        <translation>{name} has been in hospital since {date}: a visit is due</translation>
    </message>
    <message>
        <source>{name} 入党 {years} 周年</source>
        <translation>{years} years since {name} joined the Party</translation>
    </message>
    <message>
        <source>（光荣在党 50 年）</source>
        <translation> (50 glorious years in the Party)</translation>
    </message>
    <message>
        <source>{name} 参加工作 {years} 周年</source>
        <translation>{years} years since {name} started work</translation>
    </message>
</context>
<context>
    <name>RowDialog</name>
    <message>
        <source>您的角色不能修改此项（受保护的信息）</source>
        <translation>Your role may not change this item (protected information)</translation>
    </message>
    <message>
        <source>{label}：</source>
        <translation>{label}:</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>（不填）</source>
        <translation>(blank)</translation>
    </message>
    <message>
        <source>例如 2024-05-01</source>
        <translation>e.g. 2024-05-01</translation>
    </message>
    <message>
        <source>没有保存，请改正以下 {n} 处：
{lines}</source>
        <translation>Not saved; please correct the following {n} items:
{lines}</translation>
    </message>
</context>
<context>
    <name>RowsTab</name>
    <message>
        <source>{what}属于老干部的敏感信息，只有具备敏感信息权限（cadre.sensitive）的老干部工作人员才能查看和维护；同步服务器不会把这些记录发到您的电脑上。</source>
        <translation>{what} is sensitive information about retired cadres: only retired-cadre staff with the sensitive-information permission (cadre.sensitive) may view and maintain it; the sync server does not send these records to your computer.</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>共 {n} 条</source>
        <translation>Entries: {n}</translation>
    </message>
    <message>
        <source>还没有登记</source>
        <translation>Nothing recorded yet</translation>
    </message>
    <message>
        <source>{verb}{what}——{name}</source>
        <translation>{verb} {what} — {name}</translation>
    </message>
</context>
<context>
    <name>SmsDialog</name>
    <message>
        <source>发送问候短信</source>
        <translation>Send greeting SMS</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>短信内容</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>不发送的原因</source>
        <translation>Reason not sent</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>短信模板：</source>
        <translation>SMS template:</translation>
    </message>
    <message>
        <source>模板内容：</source>
        <translation>Template text:</translation>
    </message>
    <message>
        <source>预览（前 {n} 人）：</source>
        <translation>Preview (first {n} people):</translation>
    </message>
    <message>
        <source>没有可用的短信模板，请管理员先在“短信模板”中添加。</source>
        <translation>No SMS template is available; an administrator must first add one under &quot;SMS templates&quot;.</translation>
    </message>
    <message>
        <source>以下 {n} 人不发送：</source>
        <translation>Not sent to these {n} people:</translation>
    </message>
    <message>
        <source>所选人员都可以发送。</source>
        <translation>Everyone selected can be sent to.</translation>
    </message>
    <message>
        <source>确认发送给 {n} 人</source>
        <translation>Send to {n} people</translation>
    </message>
    <message>
        <source>短信模板已被删除</source>
        <translation>The SMS template has been deleted</translation>
    </message>
    <message>
        <source>已取消，没有发送任何短信。</source>
        <translation>Cancelled; no SMS was sent.</translation>
    </message>
    <message>
        <source>没有发送：{error}</source>
        <translation>Not sent: {error}</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <source>修改短信模板</source>
        <translation>Edit SMS template</translation>
    </message>
    <message>
        <source>新增短信模板</source>
        <translation>New SMS template</translation>
    </message>
    <message>
        <source>生日</source>
        <translation>Birthday</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <source>可以使用的占位符：</source>
        <translation>Placeholders you can use:</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>编码：</source>
        <translation>Code:</translation>
    </message>
    <message>
        <source>名称：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>使用场合：</source>
        <translation>Occasion:</translation>
    </message>
    <message>
        <source>短信内容：</source>
        <translation>Message:</translation>
    </message>
</context>
<context>
    <name>TemplatesDialog</name>
    <message>
        <source>短信模板</source>
        <translation>SMS templates</translation>
    </message>
    <message>
        <source>编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>场合</source>
        <translation>Occasion</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>短信内容</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>新增…</source>
        <translation>New…</translation>
    </message>
    <message>
        <source>修改…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Disabled</translation>
    </message>
</context>
</TS>
