<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AdminWindow</name>
    <message>
        <source>用户管理</source>
        <translation>User management</translation>
    </message>
</context>
<context>
    <name>AppCatalogue</name>
    <message>
        <source>预算联网监督</source>
        <translation>Budget Online Supervision</translation>
    </message>
    <message>
        <source>预算编制、执行和决算的全过程联网监督</source>
        <translation>Online supervision of the budget from drafting through execution to final accounts</translation>
    </message>
    <message>
        <source>一般公共预算、政府性基金预算、国有资本经营预算、社会保险基金预算的查询和分析</source>
        <translation>Queries and analysis of all four budgets: general public, government funds, state capital operations and social insurance funds</translation>
    </message>
    <message>
        <source>从预算指标一直查到用款计划、支付申请和每一笔资金拨付</source>
        <translation>Drill down from a budget indicator to spending plans, payment applications and every single payment</translation>
    </message>
    <message>
        <source>预警：执行进度慢于序时进度、年底突击花钱、无预算或超预算支出等</source>
        <translation>Early warnings: execution behind schedule, year-end spending spikes, payments without or above budget, and more</translation>
    </message>
    <message>
        <source>部门审查、专项监督和审查计划</source>
        <translation>Department reviews, special supervision and review planning</translation>
    </message>
    <message>
        <source>公文、档案、专家库、代表库，以及代表对项目的建言</source>
        <translation>Documents, archives, expert and deputy registries, and deputies&apos; comments on projects</translation>
    </message>
    <message>
        <source>老干部管理</source>
        <translation>Retired Cadres</translation>
    </message>
    <message>
        <source>离退休干部的档案、活动和服务</source>
        <translation>Records, activities and services for retired cadres</translation>
    </message>
    <message>
        <source>离退休干部基本信息、家庭、住院、获奖等档案</source>
        <translation>Records of retired cadres: personal details, family, hospital stays, awards and more</translation>
    </message>
    <message>
        <source>生日提醒和祝贺短信模板</source>
        <translation>Birthday reminders and greeting SMS templates</translation>
    </message>
    <message>
        <source>党支部、帮困救助、活动和体检管理</source>
        <translation>Party branches, hardship aid, activities and health check-ups</translation>
    </message>
    <message>
        <source>即将退休人员的导入和提醒</source>
        <translation>Import of and reminders about staff about to retire</translation>
    </message>
    <message>
        <source>查询统计和信封地址标签打印</source>
        <translation>Queries, statistics and printing of address labels</translation>
    </message>
    <message>
        <source>信访</source>
        <translation>Letters and Visits</translation>
    </message>
    <message>
        <source>信访事项的登记、办理和督办</source>
        <translation>Registering, handling and supervising petitions</translation>
    </message>
    <message>
        <source>信访事项登记、转送、交办和办理</source>
        <translation>Registering, forwarding, assigning and handling petitions</translation>
    </message>
    <message>
        <source>按《信访工作条例》计算办理期限并提前提醒</source>
        <translation>Deadlines computed under the Regulations on Letters and Visits, with early reminders</translation>
    </message>
    <message>
        <source>复查、复核，重复信访自动关联</source>
        <translation>Reviews and re-reviews; repeat petitions linked automatically</translation>
    </message>
    <message>
        <source>群众在网上提交信访并查询办理进度</source>
        <translation>The public submits petitions online and tracks their progress</translation>
    </message>
    <message>
        <source>统计和趋势分析</source>
        <translation>Statistics and trend analysis</translation>
    </message>
    <message>
        <source>主席团电子会务</source>
        <translation>Presidium E-Conference</translation>
    </message>
    <message>
        <source>报到、发言和表决的电子会务系统</source>
        <translation>Electronic sign-in, speaking and voting for meetings</translation>
    </message>
    <message>
        <source>报到签到、发言排队和电子表决</source>
        <translation>Sign-in, speaker queue and electronic voting</translation>
    </message>
    <message>
        <source>按“全体组成人员过半数”等法定规则计算表决结果</source>
        <translation>Results computed by the legal rules, such as a majority of all members</translation>
    </message>
    <message>
        <source>电子席卡和席位屏信息推送</source>
        <translation>Electronic nameplates and information pushed to seat displays</translation>
    </message>
    <message>
        <source>主持人和会务操作员控制台、大屏显示</source>
        <translation>Consoles for the chair and the operator, and the big screen</translation>
    </message>
    <message>
        <source>机房监控</source>
        <translation>Machine Room Monitoring</translation>
    </message>
    <message>
        <source>机房供电、空调和环境的实时监控</source>
        <translation>Live monitoring of power, air-conditioning and environment in the machine room</translation>
    </message>
    <message>
        <source>UPS 运行状态和电池监测</source>
        <translation>UPS status and battery monitoring</translation>
    </message>
    <message>
        <source>温度、湿度、漏水、精密空调和消防报警监测</source>
        <translation>Temperature, humidity, water leaks, precision air-conditioning and fire alarms</translation>
    </message>
    <message>
        <source>超过阈值时告警，值班员确认</source>
        <translation>Alarms when thresholds are crossed, acknowledged by the operator on duty</translation>
    </message>
    <message>
        <source>历史记录和趋势曲线</source>
        <translation>History and trend charts</translation>
    </message>
    <message>
        <source>用户管理</source>
        <translation>User management</translation>
    </message>
    <message>
        <source>新建用户、分配角色、解除锁定、重设密码</source>
        <translation>Create users, assign roles, unlock, reset passwords</translation>
    </message>
    <message>
        <source>按用户名或姓名查找用户</source>
        <translation>Find users by user name or name</translation>
    </message>
    <message>
        <source>新建用户并生成初始密码，首次登录须修改</source>
        <translation>Create users with a first password that must be changed at first sign-in</translation>
    </message>
    <message>
        <source>分配角色和专门委员会联系的领域</source>
        <translation>Assign roles and special committees&apos; domains</translation>
    </message>
    <message>
        <source>停用、启用、解除锁定、强制下线</source>
        <translation>Disable, enable, unlock, sign out everywhere</translation>
    </message>
</context>
<context>
    <name>AppShell</name>
    <message>
        <source>人大业务系统</source>
        <translation>People&apos;s Congress Business System</translation>
    </message>
    <message>
        <source>系统(&amp;X)</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <source>显示(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>字号(&amp;F)</source>
        <translation>&amp;Font size</translation>
    </message>
    <message>
        <source>语言 Language(&amp;L)</source>
        <translation>语言 &amp;Language</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>立即同步(&amp;S)</source>
        <translation>&amp;Sync now</translation>
    </message>
    <message>
        <source>上传本机的修改，并下载服务器上的新数据（F5）</source>
        <translation>Upload the changes made on this computer and download new data from the server (F5)</translation>
    </message>
    <message>
        <source>冲突记录(&amp;K)…</source>
        <translation>Confli&amp;cts…</translation>
    </message>
    <message>
        <source>退出登录(&amp;O)</source>
        <translation>Sign &amp;out</translation>
    </message>
    <message>
        <source>关闭窗口(&amp;W)</source>
        <translation>Close &amp;window</translation>
    </message>
    <message>
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <source>使用说明(&amp;H)</source>
        <translation>&amp;User guide</translation>
    </message>
    <message>
        <source>{label}（{points} 磅）</source>
        <translation>{label} ({points} pt)</translation>
    </message>
    <message>
        <source>当前用户：{name}</source>
        <translation>Signed in: {name}</translation>
    </message>
    <message>
        <source>角色：{roles}</source>
        <translation>Roles: {roles}</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>● 正在同步…</source>
        <translation>● Syncing…</translation>
    </message>
    <message>
        <source>● 在线</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>● 离线</source>
        <translation>● Offline</translation>
    </message>
    <message>
        <source>● 未连接</source>
        <translation>● Not connected</translation>
    </message>
    <message>
        <source>上次同步：{when}</source>
        <translation>Last sync: {when}</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>待上传：{n} 条</source>
        <translation>To upload: {n}</translation>
    </message>
    <message>
        <source>在本机保存、还没有上传到服务器的修改</source>
        <translation>Changes saved on this computer that have not reached the server yet</translation>
    </message>
    <message>
        <source>冲突 {n} 条</source>
        <translation>{n} conflicts</translation>
    </message>
    <message>
        <source>有修改与他人的修改冲突，点击查看并处理</source>
        <translation>Some of your changes conflict with changes by others; click to review them</translation>
    </message>
    <message>
        <source>已经在同步了，请稍候。</source>
        <translation>A sync is already running; please wait.</translation>
    </message>
    <message>
        <source>同步已取消</source>
        <translation>Sync cancelled</translation>
    </message>
    <message>
        <source>同步未完成</source>
        <translation>Sync not completed</translation>
    </message>
    <message>
        <source>有冲突需要处理</source>
        <translation>Conflicts to resolve</translation>
    </message>
    <message>
        <source>有 {n} 处修改与他人的修改冲突。服务器上的值暂时有效，请您确认保留哪一个。</source>
        <translation>{n} of your changes conflict with changes by others. The server&apos;s values apply for now; please decide which to keep.</translation>
    </message>
    <message>
        <source>查看冲突</source>
        <translation>Review conflicts</translation>
    </message>
    <message>
        <source>稍后处理</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>上海市人大常委会办公厅业务软件套件
服务器：{url}</source>
        <translation>Business software suite of the General Office of the Shanghai People&apos;s Congress Standing Committee
Server: {url}</translation>
    </message>
</context>
<context>
    <name>AppTile</name>
    <message>
        <source>建设中</source>
        <translation>Under construction</translation>
    </message>
    <message>
        <source>{title}（建设中）</source>
        <translation>{title} (under construction)</translation>
    </message>
    <message>
        <source>该系统正在建设中，点开可查看建成后将提供的功能</source>
        <translation>This system is under construction; open it to see what it will offer</translation>
    </message>
</context>
<context>
    <name>BigScreen</name>
    <message>
        <source>出席</source>
        <translation>Present</translation>
    </message>
    <message>
        <source>正在发言</source>
        <translation>Speaking</translation>
    </message>
    <message>
        <source>{present} / {total} 人</source>
        <translation>{present} / {total}</translation>
    </message>
    <message>
        <source>法定人数 {required} 人，已达到</source>
        <translation>Quorum {required}: reached</translation>
    </message>
    <message>
        <source>法定人数 {required} 人，未达到</source>
        <translation>Quorum {required}: not reached</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(nobody)</translation>
    </message>
    <message>
        <source>排队：{names}</source>
        <translation>Waiting: {names}</translation>
    </message>
    <message>
        <source>排队：无</source>
        <translation>Waiting: nobody</translation>
    </message>
    <message>
        <source>正在表决</source>
        <translation>Voting</translation>
    </message>
    <message>
        <source>已表决 {voted} 人 · 出席 {present} 人</source>
        <translation>{voted} voted · {present} present</translation>
    </message>
    <message>
        <source>通过需要：{rule}</source>
        <translation>Needed to pass: {rule}</translation>
    </message>
    <message>
        <source>表决</source>
        <translation>Vote</translation>
    </message>
    <message>
        <source>尚未表决</source>
        <translation>No vote yet</translation>
    </message>
    <message>
        <source>会议尚未开始</source>
        <translation>The meeting has not opened</translation>
    </message>
    <message>
        <source>表决结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>结果待宣布</source>
        <translation>Result to be announced</translation>
    </message>
    <message>
        <source>通过需要：{rule}，即 {required} 票（全体 {total} 人）</source>
        <translation>Needed to pass: {rule}, that is {required} votes ({total} members in all)</translation>
    </message>
</context>
<context>
    <name>ChairConsole</name>
    <message>
        <source>宣布开会</source>
        <translation>Open meeting</translation>
    </message>
    <message>
        <source>闭会</source>
        <translation>Close meeting</translation>
    </message>
    <message>
        <source>发言</source>
        <translation>Floor</translation>
    </message>
    <message>
        <source>正在发言</source>
        <translation>Speaking</translation>
    </message>
    <message>
        <source>排队申请</source>
        <translation>Requests</translation>
    </message>
    <message>
        <source>批准发言</source>
        <translation>Give floor</translation>
    </message>
    <message>
        <source>移出排队</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>关闭话筒</source>
        <translation>Mic off</translation>
    </message>
    <message>
        <source>全部静音</source>
        <translation>Mute all</translation>
    </message>
    <message>
        <source>设置话筒</source>
        <translation>Set mics</translation>
    </message>
    <message>
        <source>同时开启的话筒数</source>
        <translation>Microphones open at once</translation>
    </message>
    <message>
        <source>表决</source>
        <translation>Voting</translation>
    </message>
    <message>
        <source>议程</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>方式</source>
        <translation>Ballot</translation>
    </message>
    <message>
        <source>按键</source>
        <translation>Key press</translation>
    </message>
    <message>
        <source>公布</source>
        <translation>Result shown</translation>
    </message>
    <message>
        <source>表决时长</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>通过规则</source>
        <translation>Majority</translation>
    </message>
    <message>
        <source>无记名表决</source>
        <translation>Anonymous vote</translation>
    </message>
    <message>
        <source>首次按键有效</source>
        <translation>First press counts</translation>
    </message>
    <message>
        <source>末次按键有效</source>
        <translation>Last press counts</translation>
    </message>
    <message>
        <source>结束后立即公布</source>
        <translation>At once when closed</translation>
    </message>
    <message>
        <source>主持人宣布后公布</source>
        <translation>When the chair announces it</translation>
    </message>
    <message>
        <source>开始表决</source>
        <translation>Open vote</translation>
    </message>
    <message>
        <source>结束表决</source>
        <translation>Close vote</translation>
    </message>
    <message>
        <source>取消表决</source>
        <translation>Cancel vote</translation>
    </message>
    <message>
        <source>下一位候选人</source>
        <translation>Next candidate</translation>
    </message>
    <message>
        <source>逐人表决：表决器转到下一位候选人，前一位的表决截止</source>
        <translation>Person by person: the terminals move to the next candidate and the vote on the previous one closes</translation>
    </message>
    <message>
        <source>宣布结果</source>
        <translation>Announce</translation>
    </message>
    <message>
        <source>举手表决…</source>
        <translation>Show of hands…</translation>
    </message>
    <message>
        <source>席位信息与人工报到</source>
        <translation>Seat messages and manual sign-in</translation>
    </message>
    <message>
        <source> 秒</source>
        <translation> s</translation>
    </message>
    <message>
        <source>由主持人结束</source>
        <translation>Ended by the chair</translation>
    </message>
    <message>
        <source>打印表决结果单…</source>
        <translation>Print result sheet…</translation>
    </message>
    <message>
        <source>最近一次表决的结果单：先预览，再打印或另存为 PDF</source>
        <translation>The result sheet of the latest vote: preview, then print or save as PDF</translation>
    </message>
    <message>
        <source>【已表决】</source>
        <translation>[voted] </translation>
    </message>
    <message>
        <source>发送到席位屏的文字</source>
        <translation>Text for the seat displays</translation>
    </message>
    <message>
        <source>席位，如 3、5-7</source>
        <translation>Seats, e.g. 3, 5-7</translation>
    </message>
    <message>
        <source>发给哪些席位；不填则发给全体</source>
        <translation>Which seats to send to; leave empty for all</translation>
    </message>
    <message>
        <source>发送</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>代为报到</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>出席 {present} / 全体 {total} 人</source>
        <translation>Present {present} of {total}</translation>
    </message>
    <message>
        <source>法定人数 {required} 人：已达到</source>
        <translation>Quorum {required}: reached</translation>
    </message>
    <message>
        <source>法定人数 {required} 人：未达到</source>
        <translation>Quorum {required}: not reached</translation>
    </message>
    <message>
        <source>表决中 · 已进行 {time}（主持人结束）</source>
        <translation>Voting · {time} elapsed (chair ends)</translation>
    </message>
    <message>
        <source>表决中 · 剩余 {time}</source>
        <translation>Voting · {time} left</translation>
    </message>
    <message>
        <source>{label}：已表决 {voted} / 出席 {present}</source>
        <translation>{label}: {voted} voted of {present} present</translation>
    </message>
    <message>
        <source>（表决器正在表决）</source>
        <translation> (on the terminals now)</translation>
    </message>
    <message>
        <source>（已截止）</source>
        <translation> (closed)</translation>
    </message>
    <message>
        <source>无记名表决：只显示是否已按键，不显示选择</source>
        <translation>Anonymous vote: only whether a seat has voted is shown, never the choice</translation>
    </message>
    <message>
        <source>“{title}”表决结束，结果待宣布</source>
        <translation>&quot;{title}&quot; closed; result to be announced</translation>
    </message>
    <message>
        <source>“{title}”：{verdict}</source>
        <translation>&quot;{title}&quot;: {verdict}</translation>
    </message>
    <message>
        <source>没有进行中的表决</source>
        <translation>No vote running</translation>
    </message>
    <message>
        <source>无法出具表决结果单：{error}</source>
        <translation>Cannot produce the result sheet: {error}</translation>
    </message>
    <message>
        <source>表决结果单 — {title}</source>
        <translation>Result sheet — {title}</translation>
    </message>
    <message>
        <source>席位写法有误，例如：3,5-7</source>
        <translation>Seats not understood; write e.g. 3,5-7</translation>
    </message>
    <message>
        <source>全部席位</source>
        <translation>all seats</translation>
    </message>
    <message>
        <source>已发送到 {target}：{text}</source>
        <translation>Sent to {target}: {text}</translation>
    </message>
</context>
<context>
    <name>Choice</name>
    <message>
        <source>赞成</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>反对</source>
        <translation>No</translation>
    </message>
    <message>
        <source>弃权</source>
        <translation>Abstain</translation>
    </message>
</context>
<context>
    <name>ConflictInbox</name>
    <message>
        <source>（删除）</source>
        <translation>(deletion)</translation>
    </message>
    <message>
        <source>（整条记录）</source>
        <translation>(whole record)</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>ConflictInboxWindow</name>
    <message>
        <source>冲突记录</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>下面这些修改与他人的修改冲突。服务器上的值目前有效，您的值没有丢失。请逐条选择：保留服务器的值，或改用您的值。</source>
        <translation>These changes of yours conflict with changes by others. The server&apos;s values apply for now and your values are not lost. For each one, choose: keep the server&apos;s value, or use yours.</translation>
    </message>
    <message>
        <source>没有待处理的冲突。</source>
        <translation>There are no conflicts to resolve.</translation>
    </message>
    <message>
        <source>详细情况</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>修改前的值</source>
        <translation>Value before the changes</translation>
    </message>
    <message>
        <source>服务器上的值（他人修改）</source>
        <translation>Server&apos;s value (changed by someone else)</translation>
    </message>
    <message>
        <source>您的值</source>
        <translation>Your value</translation>
    </message>
    <message>
        <source>保留服务器的值(&amp;K)</source>
        <translation>&amp;Keep the server&apos;s value</translation>
    </message>
    <message>
        <source>改用我的值(&amp;M)</source>
        <translation>Use &amp;my value</translation>
    </message>
    <message>
        <source>刷新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>请在上表中选择一条冲突。</source>
        <translation>Select a conflict in the table above.</translation>
    </message>
    <message>
        <source>{table}“{record}”的{field}：{kind}</source>
        <translation>{table} “{record}”, {field}: {kind}</translation>
    </message>
    <message>
        <source>注意：这个字段后来又被修改，现在的值是：{value}</source>
        <translation>Note: this field was changed again later; its value now is: {value}</translation>
    </message>
    <message>
        <source>这条记录不在本机上，只能保留服务器的值。</source>
        <translation>This record is not on this computer, so only the server&apos;s value can be kept.</translation>
    </message>
    <message>
        <source>保留服务器的值</source>
        <translation>Keep the server&apos;s value</translation>
    </message>
    <message>
        <source>将保留服务器上的值，您的值“{mine}”将被放弃。确定吗？</source>
        <translation>The server&apos;s value will be kept and your value “{mine}” will be dropped. Are you sure?</translation>
    </message>
    <message>
        <source>改用我的值</source>
        <translation>Use my value</translation>
    </message>
    <message>
        <source>将用您的值“{mine}”替换服务器上的值“{server}”，同步后他人也会看到。确定吗？</source>
        <translation>Your value “{mine}” will replace the server&apos;s value “{server}”; others will see it after the next sync. Are you sure?</translation>
    </message>
</context>
<context>
    <name>ConflictKind</name>
    <message>
        <source>同时修改</source>
        <translation>Changed by both</translation>
    </message>
    <message>
        <source>删除与修改冲突</source>
        <translation>Deleted while changed</translation>
    </message>
    <message>
        <source>修改已删除的记录</source>
        <translation>Changed a deleted record</translation>
    </message>
    <message>
        <source>服务器拒绝</source>
        <translation>Refused by the server</translation>
    </message>
</context>
<context>
    <name>ConflictTableModel</name>
    <message>
        <source>数据</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>服务器</source>
        <translation>the server</translation>
    </message>
    <message>
        <source>无法连接服务器（{where}）。请检查网络连接和服务器地址，稍后再试。</source>
        <translation>Cannot reach the server ({where}). Please check the network connection and the server address, then try again.</translation>
    </message>
    <message>
        <source>用户名或密码不正确，请重新输入。</source>
        <translation>The user name or password is wrong. Please try again.</translation>
    </message>
    <message>
        <source>登录已过期或已被注销，请重新登录。</source>
        <translation>Your sign-in has expired or was revoked. Please sign in again.</translation>
    </message>
    <message>
        <source>同步已取消。已完成的部分已保存，下次同步会从这里继续。</source>
        <translation>Sync was cancelled. What was done so far is saved; the next sync continues from there.</translation>
    </message>
    <message>
        <source>您没有执行这项操作的权限。</source>
        <translation>You do not have the right to do this.</translation>
    </message>
    <message>
        <source>操作未能完成，请稍后再试。</source>
        <translation>This could not be completed. Please try again later.</translation>
    </message>
    <message>
        <source>出现意外错误：{detail}。请把这段文字告诉信息中心。</source>
        <translation>An unexpected error occurred: {detail}. Please pass this text on to the information centre.</translation>
    </message>
</context>
<context>
    <name>FieldLabel</name>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>正文</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>上级编码</source>
        <translation>Parent code</translation>
    </message>
    <message>
        <source>文号</source>
        <translation>Document number</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>公开范围</source>
        <translation>Classification</translation>
    </message>
    <message>
        <source>所属领域</source>
        <translation>Domain</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>金额（分）</source>
        <translation>Amount (fen)</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Gender</translation>
    </message>
    <message>
        <source>代表团</source>
        <translation>Delegation</translation>
    </message>
    <message>
        <source>工作单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>专业特长</source>
        <translation>Expertise</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>文件名</source>
        <translation>File name</translation>
    </message>
</context>
<context>
    <name>FontSize</name>
    <message>
        <source>标准</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>大</source>
        <translation>Large</translation>
    </message>
    <message>
        <source>特大</source>
        <translation>Extra large</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>通用操作：登录、同步、冲突、字号</source>
        <translation>General: signing in, sync, conflicts, font size</translation>
    </message>
    <message>
        <source>预算联网监督</source>
        <translation>Budget review and online supervision</translation>
    </message>
    <message>
        <source>主席团电子会务</source>
        <translation>Presidium e-conference</translation>
    </message>
    <message>
        <source>老干部管理</source>
        <translation>Retired cadres</translation>
    </message>
    <message>
        <source>信访</source>
        <translation>Letters and visits</translation>
    </message>
    <message>
        <source>机房监控</source>
        <translation>Machine-room monitoring</translation>
    </message>
    <message>
        <source>使用说明</source>
        <translation>User guide</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>已从会议日志恢复到进行中的会议</source>
        <translation>Resumed the running meeting from its journal</translation>
    </message>
    <message>
        <source>主席团电子会务</source>
        <translation>Presidium e-conference</translation>
    </message>
    <message>
        <source>退出会务系统需要操作员密码</source>
        <translation>Leaving the conference system needs the operator&apos;s PIN</translation>
    </message>
</context>
<context>
    <name>LauncherPage</name>
    <message>
        <source>您好，{name}</source>
        <translation>Hello, {name}</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>角色：{roles}</source>
        <translation>Roles: {roles}</translation>
    </message>
    <message>
        <source>退出登录(&amp;O)</source>
        <translation>Sign &amp;out</translation>
    </message>
    <message>
        <source>请选择要使用的业务系统：</source>
        <translation>Choose the system you want to use:</translation>
    </message>
    <message>
        <source>您的账号还没有开通任何业务系统。如需使用，请联系系统管理员开通权限。</source>
        <translation>Your account has no business systems yet. Please ask the system administrator to grant you access.</translation>
    </message>
</context>
<context>
    <name>LauncherWindow</name>
    <message>
        <source>上海市人大常委会办公厅业务系统</source>
        <translation>Shanghai People&apos;s Congress Standing Committee — Business Systems</translation>
    </message>
</context>
<context>
    <name>Lists</name>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>本机服务器（端口 {port}）</source>
        <translation>This computer&apos;s server (port {port})</translation>
    </message>
    <message>
        <source>本机服务器</source>
        <translation>This computer&apos;s server</translation>
    </message>
    <message>
        <source>{host}（加密连接）</source>
        <translation>{host} (encrypted)</translation>
    </message>
    <message>
        <source>{host}（未加密连接）</source>
        <translation>{host} (not encrypted)</translation>
    </message>
    <message>
        <source>登录 — 人大业务系统</source>
        <translation>Sign in — People&apos;s Congress Business System</translation>
    </message>
    <message>
        <source>上海市人大常委会办公厅</source>
        <translation>General Office of the Shanghai People&apos;s Congress Standing Committee</translation>
    </message>
    <message>
        <source>业务系统登录</source>
        <translation>Sign in to the business systems</translation>
    </message>
    <message>
        <source>服务器地址(&amp;S)：</source>
        <translation>&amp;Server address:</translation>
    </message>
    <message>
        <source>用户名(&amp;U)：</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <source>密码(&amp;P)：</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>例如 https://renda.example.gov.cn</source>
        <translation>for example https://renda.example.gov.cn</translation>
    </message>
    <message>
        <source>更改…</source>
        <translation>Change…</translation>
    </message>
    <message>
        <source>连接到另一台服务器（一般无需更改，请按管理员的说明操作）</source>
        <translation>Connect to another server (normally not needed; follow your administrator&apos;s instructions)</translation>
    </message>
    <message>
        <source>您的登录用户名</source>
        <translation>your sign-in user name</translation>
    </message>
    <message>
        <source>区分大小写</source>
        <translation>case-sensitive</translation>
    </message>
    <message>
        <source>正在登录，请稍候…</source>
        <translation>Signing in, please wait…</translation>
    </message>
    <message>
        <source>登录(&amp;L)</source>
        <translation>Sign &amp;in</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>切换界面语言</source>
        <translation>Switch the interface language</translation>
    </message>
    <message>
        <source>请填写服务器地址。</source>
        <translation>Please enter the server address.</translation>
    </message>
    <message>
        <source>服务器地址应以 http:// 或 https:// 开头。</source>
        <translation>The server address must start with http:// or https://.</translation>
    </message>
    <message>
        <source>请填写用户名。</source>
        <translation>Please enter your user name.</translation>
    </message>
    <message>
        <source>请填写密码。</source>
        <translation>Please enter your password.</translation>
    </message>
</context>
<context>
    <name>Majority</name>
    <message>
        <source>全体代表的过半数</source>
        <translation>more than half of all deputies</translation>
    </message>
    <message>
        <source>常务委员会全体组成人员的过半数</source>
        <translation>more than half of all Standing Committee members</translation>
    </message>
    <message>
        <source>主席团全体成员的过半数</source>
        <translation>more than half of all presidium members</translation>
    </message>
    <message>
        <source>获得全体代表过半数的选票</source>
        <translation>More than half of all deputies&apos; votes</translation>
    </message>
    <message>
        <source>出席会议的代表过半数</source>
        <translation>More than half of the deputies present</translation>
    </message>
    <message>
        <source>出席会议的常务委员会组成人员过半数</source>
        <translation>More than half of the Standing Committee members present</translation>
    </message>
    <message>
        <source>主任会议全体组成人员的过半数</source>
        <translation>More than half of all members of the Council of Chairpersons</translation>
    </message>
    <message>
        <source>全体成员的三分之二以上（按会议章程或办法）</source>
        <translation>Two thirds or more of all members (under the meeting&apos;s own rules)</translation>
    </message>
</context>
<context>
    <name>MicMode</name>
    <message>
        <source>自由讨论（先到先发言）</source>
        <translation>Open (first come, first served)</translation>
    </message>
    <message>
        <source>超越（新发言关闭最早的话筒）</source>
        <translation>Override (a new speaker closes the oldest mic)</translation>
    </message>
    <message>
        <source>申请（主持人批准）</source>
        <translation>Request (the chair approves)</translation>
    </message>
    <message>
        <source>声控（无排队）</source>
        <translation>Voice (no queue)</translation>
    </message>
</context>
<context>
    <name>NewUserDialog</name>
    <message>
        <source>新建用户</source>
        <translation>New user</translation>
    </message>
    <message>
        <source>登录用的名字，如 zhangsan</source>
        <translation>The name used to sign in, e.g. zhangsan</translation>
    </message>
    <message>
        <source>姓名，如 张三</source>
        <translation>Full name, e.g. 张三</translation>
    </message>
    <message>
        <source>专委会委员联系的领域，如 committee:教科文卫</source>
        <translation>A committee member&apos;s domain, e.g. committee:教科文卫</translation>
    </message>
    <message>
        <source>专门委员会委员填写联系的领域，如 committee:教科文卫；多个用逗号隔开</source>
        <translation>For special committee members: their domains, e.g. committee:教科文卫; separate several with commas</translation>
    </message>
    <message>
        <source>请把初始密码当面交给用户；首次登录时须改为自己的密码。</source>
        <translation>Hand the first password to the user in person; it must be changed at the first sign-in.</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <source>额外数据范围</source>
        <translation>Extra data scopes</translation>
    </message>
    <message>
        <source>初始密码</source>
        <translation>First password</translation>
    </message>
    <message>
        <source>创建</source>
        <translation>Create</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>用户名至少 2 个字符。</source>
        <translation>The user name needs at least 2 characters.</translation>
    </message>
    <message>
        <source>请填写姓名。</source>
        <translation>Please enter the name.</translation>
    </message>
    <message>
        <source>请至少选择一个角色。</source>
        <translation>Please choose at least one role.</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>操作员密码</source>
        <translation>Operator PIN</translation>
    </message>
    <message>
        <source>首次使用：请设置操作员密码（至少 {n} 位数字）。退出、切换画面都需要它。</source>
        <translation>First start: choose the operator PIN (at least {n} digits). It is needed to leave the kiosk or switch faces.</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New PIN</translation>
    </message>
    <message>
        <source>再输入一次</source>
        <translation>PIN again</translation>
    </message>
    <message>
        <source>请输入操作员密码</source>
        <translation>Enter the operator&apos;s PIN</translation>
    </message>
    <message>
        <source>密码须为至少 {n} 位数字</source>
        <translation>The PIN must be at least {n} digits</translation>
    </message>
    <message>
        <source>两次输入的密码不一致</source>
        <translation>The two PINs differ</translation>
    </message>
    <message>
        <source>密码错误次数过多，请 30 秒后再试</source>
        <translation>Too many wrong PINs; try again in 30 seconds</translation>
    </message>
    <message>
        <source>密码错误</source>
        <translation>Wrong PIN</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>打印预览 — {title}</source>
        <translation>Print preview — {title}</translation>
    </message>
    <message>
        <source>另存为 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>另存为 PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>第 {n} 页，共 {total} 页</source>
        <translation>Page {n} of {total}</translation>
    </message>
</context>
<context>
    <name>Result</name>
    <message>
        <source>{passed} / {total} 项通过</source>
        <translation>{passed} of {total} passed</translation>
    </message>
    <message>
        <source>通过</source>
        <translation>PASSED</translation>
    </message>
    <message>
        <source>未通过</source>
        <translation>NOT PASSED</translation>
    </message>
    <message>
        <source>赞成 {yes}  反对 {no}  弃权 {abstain}  未按键 {not_voted}</source>
        <translation>Yes {yes}  No {no}  Abstain {abstain}  Not voted {not_voted}</translation>
    </message>
    <message>
        <source>举手表决，由工作人员录入</source>
        <translation>Show of hands, entered by staff</translation>
    </message>
</context>
<context>
    <name>RolesDialog</name>
    <message>
        <source>修改角色 — {name}</source>
        <translation>Change roles — {name}</translation>
    </message>
    <message>
        <source>如 committee:教科文卫；多个用逗号隔开</source>
        <translation>e.g. committee:教科文卫; separate several with commas</translation>
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
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <source>额外数据范围</source>
        <translation>Extra data scopes</translation>
    </message>
</context>
<context>
    <name>SeatCell</name>
    <message>
        <source>报到</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>取消发言</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>发言</source>
        <translation>Speak</translation>
    </message>
</context>
<context>
    <name>SeatFace</name>
    <message>
        <source>报到</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>{seat} 号席 {name}</source>
        <translation>Seat {seat} {name}</translation>
    </message>
    <message>
        <source>已报到</source>
        <translation>Signed in</translation>
    </message>
    <message>
        <source>未报到</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <source>结束发言</source>
        <translation>End speech</translation>
    </message>
    <message>
        <source>取消发言申请</source>
        <translation>Withdraw request</translation>
    </message>
    <message>
        <source>申请发言</source>
        <translation>Request to speak</translation>
    </message>
    <message>
        <source>当前没有表决</source>
        <translation>No vote now</translation>
    </message>
    <message>
        <source>表决：{title}</source>
        <translation>Vote: {title}</translation>
    </message>
    <message>
        <source>第 {n} / {count} 项：{label}</source>
        <translation>Question {n} of {count}: {label}</translation>
    </message>
    <message>
        <source>请先报到再表决</source>
        <translation>Sign in first to vote</translation>
    </message>
    <message>
        <source>已表决</source>
        <translation>Voted</translation>
    </message>
    <message>
        <source>请按键表决</source>
        <translation>Please vote</translation>
    </message>
    <message>
        <source>会务通知：{text}</source>
        <translation>Notice: {text}</translation>
    </message>
</context>
<context>
    <name>SeatMap</name>
    <message>
        <source>未报到</source>
        <translation>Absent</translation>
    </message>
    <message>
        <source>已报到</source>
        <translation>Present</translation>
    </message>
    <message>
        <source>申请发言</source>
        <translation>Requesting</translation>
    </message>
    <message>
        <source>发言中</source>
        <translation>Speaking</translation>
    </message>
    <message>
        <source>已表决</source>
        <translation>Voted</translation>
    </message>
    <message>
        <source>故障</source>
        <translation>Fault</translation>
    </message>
</context>
<context>
    <name>SeatPanel</name>
    <message>
        <source>虚拟席位面板</source>
        <translation>Virtual seat panel</translation>
    </message>
    <message>
        <source>虚拟席位面板（演示用）</source>
        <translation>Virtual seat panel (demo)</translation>
    </message>
    <message>
        <source>每一格是一台席位表决器：按键发出的事件与会场的表决器完全相同。</source>
        <translation>Each cell is one seat terminal: its keys send exactly the events of the hall&apos;s terminals.</translation>
    </message>
    <message>
        <source>全部报到</source>
        <translation>Sign in all</translation>
    </message>
</context>
<context>
    <name>ShowOfHandsDialog</name>
    <message>
        <source>举手表决</source>
        <translation>Show of hands</translation>
    </message>
    <message>
        <source>举手表决：{title}</source>
        <translation>Show of hands: {title}</translation>
    </message>
    <message>
        <source>表决器故障时使用。请录入清点的票数（全体 {total} 人）；结果将标明“举手表决，由工作人员录入”。</source>
        <translation>For when the terminals fail. Enter the counted votes ({total} members in all); the result will be marked &quot;show of hands, entered by staff&quot;.</translation>
    </message>
    <message>
        <source>票数合计 {sum} 超过全体人数 {total}</source>
        <translation>The votes add up to {sum}, more than the {total} members</translation>
    </message>
</context>
<context>
    <name>SyncProgressDialog</name>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>正在与服务器同步数据</source>
        <translation>Syncing data with the server</translation>
    </message>
    <message>
        <source>可以随时取消：已完成的部分会保存，下次同步从中断处继续。</source>
        <translation>You can cancel at any time: what is done is kept, and the next sync continues where this one stopped.</translation>
    </message>
    <message>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>取消同步(&amp;C)</source>
        <translation>&amp;Cancel sync</translation>
    </message>
    <message>
        <source>正在连接服务器…</source>
        <translation>Connecting to the server…</translation>
    </message>
    <message>
        <source>正在上传本机的修改：{done} / {total} 条</source>
        <translation>Uploading changes from this computer: {done} of {total}</translation>
    </message>
    <message>
        <source>正在下载服务器的数据：已收到 {done} 条</source>
        <translation>Downloading data from the server: {done} received</translation>
    </message>
    <message>
        <source>正在核对数据…</source>
        <translation>Checking the data…</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>上传 {n} 条</source>
        <translation>{n} uploaded</translation>
    </message>
    <message>
        <source>下载 {n} 条</source>
        <translation>{n} downloaded</translation>
    </message>
    <message>
        <source>新冲突 {n} 条</source>
        <translation>{n} new conflicts</translation>
    </message>
    <message>
        <source>被服务器拒绝 {n} 条</source>
        <translation>{n} refused by the server</translation>
    </message>
    <message>
        <source>已完整重新同步</source>
        <translation>fully re-synced</translation>
    </message>
    <message>
        <source>同步完成：{summary}</source>
        <translation>Sync complete: {summary}</translation>
    </message>
    <message>
        <source>现在连不上服务器，您可以继续离线工作；修改保存在本机，联网后再同步。</source>
        <translation>The server cannot be reached now. You can go on working offline; changes are saved on this computer and sync once the network is back.</translation>
    </message>
</context>
<context>
    <name>Tables</name>
    <message>
        <source>右键单击表头可选择显示哪些列</source>
        <translation>Right-click the header to choose which columns to show</translation>
    </message>
    <message>
        <source>显示的列</source>
        <translation>Columns shown</translation>
    </message>
    <message>
        <source>显示全部列</source>
        <translation>Show all columns</translation>
    </message>
    <message>
        <source>正在导出</source>
        <translation>Exporting</translation>
    </message>
    <message>
        <source>导出为 Excel</source>
        <translation>Export to Excel</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>Time</name>
    <message>
        <source>今天 {time}</source>
        <translation>today {time}</translation>
    </message>
    <message>
        <source>昨天 {time}</source>
        <translation>yesterday {time}</translation>
    </message>
    <message>
        <source>{month}月{day}日 {time}</source>
        <translation>{month}/{day} {time}</translation>
    </message>
    <message>
        <source>{year}年{month}月{day}日 {time}</source>
        <translation>{year}-{month}-{day} {time}</translation>
    </message>
</context>
<context>
    <name>UnderConstructionPage</name>
    <message>
        <source>该系统正在建设中，暂时还不能使用。建成后会在这里直接打开，无需另外安装。</source>
        <translation>This system is under construction and cannot be used yet. When it is ready it will open right here, with nothing more to install.</translation>
    </message>
    <message>
        <source>建成后将提供：</source>
        <translation>When ready it will offer:</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>已锁定（至 {time}）</source>
        <translation>Locked (until {time})</translation>
    </message>
    <message>
        <source>正常（首次登录须改密码）</source>
        <translation>Active (must change password at first sign-in)</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>额外数据范围</source>
        <translation>Extra data scopes</translation>
    </message>
    <message>
        <source>按用户名或姓名查找</source>
        <translation>Find by user name or name</translation>
    </message>
    <message>
        <source>新建用户…</source>
        <translation>New user…</translation>
    </message>
    <message>
        <source>修改角色…</source>
        <translation>Change roles…</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
    <message>
        <source>解除锁定</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>重设密码…</source>
        <translation>Reset password…</translation>
    </message>
    <message>
        <source>强制下线</source>
        <translation>Sign out everywhere</translation>
    </message>
    <message>
        <source>让该用户在所有电脑上重新登录</source>
        <translation>Make this user sign in again on every computer</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>正在读取用户…</source>
        <translation>Reading users…</translation>
    </message>
    <message>
        <source>共 {n} 个用户。</source>
        <translation>{n} users.</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Enable</translation>
    </message>
    <message>
        <source>已创建用户 {user}，初始密码：{password}（请当面交给本人）</source>
        <translation>Created user {user}, first password: {password} (hand it over in person)</translation>
    </message>
    <message>
        <source>已修改 {user} 的角色。</source>
        <translation>Changed the roles of {user}.</translation>
    </message>
    <message>
        <source>停用 {name}（{user}）后，他将不能登录，已登录的电脑也会退出。确定停用吗？</source>
        <translation>Once {name} ({user}) is disabled they cannot sign in, and signed-in computers are signed out. Disable?</translation>
    </message>
    <message>
        <source>已启用 {user}。</source>
        <translation>Enabled {user}.</translation>
    </message>
    <message>
        <source>已停用 {user}。</source>
        <translation>Disabled {user}.</translation>
    </message>
    <message>
        <source>已解除 {user} 的登录锁定。</source>
        <translation>Unlocked {user}.</translation>
    </message>
    <message>
        <source>为 {name}（{user}）设置新的初始密码？他须在下次登录时修改。</source>
        <translation>Set a new first password for {name} ({user})? It must be changed at the next sign-in.</translation>
    </message>
    <message>
        <source>{user} 的新初始密码：{password}（请当面交给本人）</source>
        <translation>New first password of {user}: {password} (hand it over in person)</translation>
    </message>
    <message>
        <source>让 {user} 在所有电脑上退出登录？</source>
        <translation>Sign {user} out on every computer?</translation>
    </message>
    <message>
        <source>{user} 已在所有电脑上退出登录。</source>
        <translation>{user} is signed out on every computer.</translation>
    </message>
    <message>
        <source>请确认</source>
        <translation>Please confirm</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>未完成：{error}</source>
        <translation>Not done: {error}</translation>
    </message>
</context>
</TS>
