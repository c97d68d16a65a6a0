<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AgendaTab</name>
    <message>
        <source>新增议程</source>
        <translation>Add item</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>每行一位候选人</source>
        <translation>One candidate per line</translation>
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
        <source>写明所依据的法律、章程或办法的条文</source>
        <translation>The article of the law, charter or rules this rests on</translation>
    </message>
    <message>
        <source>默认为本类会议适用的法律条文；核对现行文本后可在此改写，只对本次会议有效</source>
        <translation>Defaults to the article for this kind of meeting; after checking the current text you may rewrite it here, for this meeting only</translation>
    </message>
    <message>
        <source>议程名称</source>
        <translation>Agenda item</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>所修正的议程</source>
        <translation>Amends</translation>
    </message>
    <message>
        <source>候选人</source>
        <translation>Candidates</translation>
    </message>
    <message>
        <source>表决方式</source>
        <translation>Ballot</translation>
    </message>
    <message>
        <source>按键规则</source>
        <translation>Key presses</translation>
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
        <source>法律依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <source>结果公布</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>修正案须排在它所修正的议程之前：先表决修正案，再表决全案。</source>
        <translation>An amendment must come before the item it amends: amendments are voted first, then the whole.</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>新议程 %1</source>
        <translation>New item %1</translation>
    </message>
</context>
<context>
    <name>BasicsTab</name>
    <message>
        <source>yyyy年M月d日</source>
        <translation>d MMM yyyy</translation>
    </message>
    <message>
        <source>例如：人大常委会机关第一会议室</source>
        <translation>e.g. Meeting Room 1, Standing Committee offices</translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <source>会议名称</source>
        <translation>Meeting</translation>
    </message>
    <message>
        <source>会议日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>会议地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>法定人数</source>
        <translation>Quorum</translation>
    </message>
    <message>
        <source>同时开启的话筒</source>
        <translation>Open microphones</translation>
    </message>
    <message>
        <source>首次发言时限</source>
        <translation>First speech limit</translation>
    </message>
    <message>
        <source>再次发言时限</source>
        <translation>Later speech limit</translation>
    </message>
</context>
<context>
    <name>ConferenceLabels</name>
    <message>
        <source>议案</source>
        <translation>Bill</translation>
    </message>
    <message>
        <source>修正案</source>
        <translation>Amendment</translation>
    </message>
    <message>
        <source>任免事项（逐人表决）</source>
        <translation>Appointment (person by person)</translation>
    </message>
    <message>
        <source>程序性事项</source>
        <translation>Procedural</translation>
    </message>
    <message>
        <source>首次按键有效</source>
        <translation>First press counts</translation>
    </message>
    <message>
        <source>最后一次按键有效</source>
        <translation>Last press counts</translation>
    </message>
    <message>
        <source>表决结束立即公布</source>
        <translation>Shown when the vote closes</translation>
    </message>
    <message>
        <source>主持人宣布后公布</source>
        <translation>Shown when the chair releases it</translation>
    </message>
    <message>
        <source>无记名表决</source>
        <translation>Anonymous</translation>
    </message>
    <message>
        <source>记名表决</source>
        <translation>Named</translation>
    </message>
    <message>
        <source>常委会会议：全体组成人员过半数出席</source>
        <translation>Standing Committee: more than half of all members present</translation>
    </message>
    <message>
        <source>主席团会议：三分之二以上的主席团成员出席</source>
        <translation>Presidium meeting: two thirds or more of the presidium present</translation>
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
    <message>
        <source>代表大会会议：三分之二以上的代表出席</source>
        <translation>Congress session: two thirds of the deputies present</translation>
    </message>
    <message>
        <source>主任会议：全体组成人员过半数出席</source>
        <translation>Council of Chairpersons: more than half of its members present</translation>
    </message>
    <message>
        <source>全体代表的过半数</source>
        <translation>More than half of all deputies</translation>
    </message>
    <message>
        <source>常务委员会全体组成人员的过半数</source>
        <translation>More than half of all Standing Committee members</translation>
    </message>
    <message>
        <source>主席团全体成员的过半数</source>
        <translation>More than half of all Presidium members</translation>
    </message>
    <message>
        <source>准备中</source>
        <translation>Being prepared</translation>
    </message>
    <message>
        <source>已发送到会场</source>
        <translation>Sent to the hall</translation>
    </message>
    <message>
        <source>正在举行</source>
        <translation>In session</translation>
    </message>
    <message>
        <source>已闭会</source>
        <translation>Closed</translation>
    </message>
</context>
<context>
    <name>ConferencePrep</name>
    <message>
        <source>主席团电子会务 · 会前准备</source>
        <translation>Presidium e-conference · Preparation</translation>
    </message>
</context>
<context>
    <name>DeputyPicker</name>
    <message>
        <source>从代表库选择与会人员</source>
        <translation>Choose members from the deputy registry</translation>
    </message>
    <message>
        <source>输入姓名、代表团或单位查找</source>
        <translation>Search by name, delegation or organisation</translation>
    </message>
    <message>
        <source>（已在会议中）</source>
        <translation> (already in the meeting)</translation>
    </message>
    <message>
        <source>代表库共 %1 人</source>
        <translation>Deputies in the registry: %1</translation>
    </message>
    <message>
        <source>全选显示的代表</source>
        <translation>Select all shown</translation>
    </message>
    <message>
        <source>加入会议</source>
        <translation>Add to meeting</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>MeetingEditor</name>
    <message>
        <source>会议信息</source>
        <translation>Meeting</translation>
    </message>
    <message>
        <source>与会人员和 IC 卡</source>
        <translation>Members and IC cards</translation>
    </message>
    <message>
        <source>席位安排</source>
        <translation>Seat plan</translation>
    </message>
    <message>
        <source>议程与表决</source>
        <translation>Agenda and votes</translation>
    </message>
    <message>
        <source>返回会议列表</source>
        <translation>Back to the list</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>发送到会场</source>
        <translation>Send to the hall</translation>
    </message>
    <message>
        <source>新会议</source>
        <translation>New meeting</translation>
    </message>
    <message>
        <source> · 未保存</source>
        <translation> · not saved</translation>
    </message>
    <message>
        <source>发送到会场前还需：</source>
        <translation>Before it can go to the hall: </translation>
    </message>
    <message>
        <source>（另有 %1 项）</source>
        <translation> (and %1 more)</translation>
    </message>
    <message>
        <source>准备就绪，可以发送到会场。</source>
        <translation>Ready to be sent to the hall.</translation>
    </message>
    <message>
        <source>还不能发送到会场：</source>
        <translation>Cannot be sent to the hall yet: </translation>
    </message>
    <message>
        <source>已发送到会场：会场终端同步后即可开会。</source>
        <translation>Sent to the hall: the meeting can open once the hall&apos;s kiosk has synced.</translation>
    </message>
    <message>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
</context>
<context>
    <name>MeetingListPage</name>
    <message>
        <source>会前准备：会议列表</source>
        <translation>Preparation: meetings</translation>
    </message>
    <message>
        <source>新建会议，选定与会人员、安排席位、绑定 IC 卡、设置议程和表决规则，然后发送到会场。</source>
        <translation>Create a meeting, choose its members, plan the seats, bind IC cards, set the agenda and vote rules, then send it to the hall.</translation>
    </message>
    <message>
        <source>会议名称</source>
        <translation>Meeting</translation>
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
        <source>人数</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>还没有会议。点“新建会议”开始准备。</source>
        <translation>No meetings yet. Click “New meeting” to start.</translation>
    </message>
    <message>
        <source>新建会议</source>
        <translation>New meeting</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>撤销会议</source>
        <translation>Withdraw meeting</translation>
    </message>
    <message>
        <source>确定撤销会议“%1”吗？撤销后各终端同步时一并删除。</source>
        <translation>Withdraw the meeting “%1”? It is removed from every computer at its next sync.</translation>
    </message>
</context>
<context>
    <name>MembersTab</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>席位</source>
        <translation>Seat</translation>
    </message>
    <message>
        <source>IC 卡</source>
        <translation>IC card</translation>
    </message>
    <message>
        <source>从代表库添加…</source>
        <translation>Add from the registry…</translation>
    </message>
    <message>
        <source>导入名单（CSV / Excel）…</source>
        <translation>Import roster (CSV / Excel)…</translation>
    </message>
    <message>
        <source>移出所选人员</source>
        <translation>Remove selected member</translation>
    </message>
    <message>
        <source>刷卡或输入 IC 卡号</source>
        <translation>Swipe or type the IC card number</translation>
    </message>
    <message>
        <source>绑定到所选人员</source>
        <translation>Bind to selected member</translation>
    </message>
    <message>
        <source>解除绑定</source>
        <translation>Unbind</translation>
    </message>
    <message>
        <source>选中人员后刷卡（读卡器会填入卡号）或手工输入卡号，再点“绑定”。</source>
        <translation>Select a member, swipe the card (the reader types its number) or type it, then click “Bind”.</translation>
    </message>
    <message>
        <source>与会人员 %1 人</source>
        <translation>Members: %1</translation>
    </message>
    <message>
        <source>已加入 %1 人</source>
        <translation>Added: %1</translation>
    </message>
    <message>
        <source>已导入 %1 人</source>
        <translation>Imported: %1</translation>
    </message>
    <message>
        <source>导入与会人员名单</source>
        <translation>Import a roster</translation>
    </message>
    <message>
        <source>名单 (*.csv *.xlsx)</source>
        <translation>Roster (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>无法读取名单文件：%1</source>
        <translation>Cannot read the roster file: %1</translation>
    </message>
    <message>
        <source>请先选中一位人员</source>
        <translation>Select a member first</translation>
    </message>
    <message>
        <source>已移出</source>
        <translation>Removed</translation>
    </message>
    <message>
        <source>请先选中要绑定 IC 卡的人员</source>
        <translation>Select the member to bind the card to first</translation>
    </message>
    <message>
        <source>请刷卡或输入 IC 卡号</source>
        <translation>Swipe or type the IC card number</translation>
    </message>
    <message>
        <source>IC 卡已绑定</source>
        <translation>IC card bound</translation>
    </message>
    <message>
        <source>已解除 IC 卡绑定</source>
        <translation>IC card unbound</translation>
    </message>
</context>
<context>
    <name>PrepWorkspace</name>
    <message>
        <source>操作未完成：%1</source>
        <translation>Not done: %1</translation>
    </message>
    <message>
        <source>会议已不存在（可能已被撤销）</source>
        <translation>The meeting no longer exists (it may have been withdrawn)</translation>
    </message>
</context>
<context>
    <name>SeatGrid</name>
    <message>
        <source>（主席）</source>
        <translation>(chair)</translation>
    </message>
</context>
<context>
    <name>SeatPlanTab</name>
    <message>
        <source>安排到所选席位</source>
        <translation>Place on selected seat</translation>
    </message>
    <message>
        <source>自动排座</source>
        <translation>Fill seats</translation>
    </message>
    <message>
        <source>清空所选席位</source>
        <translation>Clear selected seats</translation>
    </message>
    <message>
        <source>清空全部席位</source>
        <translation>Clear all seats</translation>
    </message>
    <message>
        <source>设为 / 取消主席席位</source>
        <translation>Chair&apos;s seat on / off</translation>
    </message>
    <message>
        <source>把姓名拖到席位上，或选中人员和席位后点“安排到所选席位”。</source>
        <translation>Drag a name onto a seat, or select a member and a seat and click “Place on selected seat”.</translation>
    </message>
    <message>
        <source>每排席位数</source>
        <translation>Seats per row</translation>
    </message>
    <message>
        <source>排数</source>
        <translation>Rows</translation>
    </message>
    <message>
        <source>未安排席位：%1 人</source>
        <translation>Without a seat: %1</translation>
    </message>
    <message>
        <source>已自动安排 %1 人</source>
        <translation>Placed: %1</translation>
    </message>
    <message>
        <source>请先选中一位未安排席位的人员和一个席位</source>
        <translation>Select a member without a seat and one seat first</translation>
    </message>
    <message>
        <source>已清空全部席位</source>
        <translation>All seats cleared</translation>
    </message>
    <message>
        <source>请选中一个席位</source>
        <translation>Select one seat</translation>
    </message>
</context>
</TS>
