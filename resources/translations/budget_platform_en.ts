<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>BudgetPlatform</name>
    <message>
        <source>已分派</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <source>已接受</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>已提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>待答复</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>已答复</source>
        <translation>Answered</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已印发</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>待审查</source>
        <translation>To review</translation>
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
        <source>已关闭</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>同意</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>修改后同意</source>
        <translation>Approve with changes</translation>
    </message>
    <message>
        <source>不同意</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>预算账本</source>
        <translation>Budget book</translation>
    </message>
    <message>
        <source>功能分类</source>
        <translation>Functional class</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Project</translation>
    </message>
    <message>
        <source>预算指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>审查计划</source>
        <translation>Review plan</translation>
    </message>
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
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <source>提建言</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>请写下您的意见和建议，例如：建议公开项目绩效目标。</source>
        <translation>Write your opinion and suggestion, e.g. Please publish the projects&apos; performance targets.</translation>
    </message>
    <message>
        <source>建言对象类型</source>
        <translation>Kind of item</translation>
    </message>
    <message>
        <source>建言对象</source>
        <translation>Comment on</translation>
    </message>
    <message>
        <source>建言内容</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>提交建言</source>
        <translation>Submit comment</translation>
    </message>
    <message>
        <source>请从列表中选择建言对象</source>
        <translation>Choose the item from the list</translation>
    </message>
</context>
<context>
    <name>CommentsPage</name>
    <message>
        <source>提建言</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>全部建言</source>
        <translation>All comments</translation>
    </message>
    <message>
        <source>建言由预工委工作人员答复；答复后您在这里看到答复内容。</source>
        <translation>Budget committee staff answer comments; the answer appears here.</translation>
    </message>
    <message>
        <source>选中一条建言，在右侧写答复。答复同步后代表即可看到。</source>
        <translation>Select a comment and write the answer on the right; the deputy sees it after syncing.</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>建言人</source>
        <translation>Author</translation>
    </message>
    <message>
        <source>建言内容</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>建言详情</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>写下答复，例如：已转市财政局研究办理。</source>
        <translation>Write the answer, e.g. Passed to the Finance Bureau for action.</translation>
    </message>
    <message>
        <source>答复</source>
        <translation>Answer</translation>
    </message>
    <message>
        <source>代表建言</source>
        <translation>Deputies&apos; comments</translation>
    </message>
    <message>
        <source>还没有建言。点“提建言”对预算账本、功能分类、部门或项目提出意见。</source>
        <translation>No comments yet. Click &quot;Comment&quot; to comment on a book, class, department or project.</translation>
    </message>
    <message>
        <source>没有符合条件的建言。</source>
        <translation>No comments match.</translation>
    </message>
    <message>
        <source>选择一条建言查看详情。</source>
        <translation>Select a comment to read it.</translation>
    </message>
    <message>
        <source>对象：%1</source>
        <translation>Item: %1</translation>
    </message>
    <message>
        <source>建言人：%1</source>
        <translation>Author: %1</translation>
    </message>
    <message>
        <source>答复（%1，%2）：</source>
        <translation>Answer (%1, %2):</translation>
    </message>
    <message>
        <source>尚未答复。</source>
        <translation>Not answered yet.</translation>
    </message>
    <message>
        <source>建言已提交，等待答复。</source>
        <translation>Comment submitted; waiting for an answer.</translation>
    </message>
    <message>
        <source>已答复，代表同步后可以看到。</source>
        <translation>Answered; the deputy sees it after the next sync.</translation>
    </message>
</context>
<context>
    <name>DocumentsPage</name>
    <message>
        <source>标题、文号或正文中的词，多个词用空格分开</source>
        <translation>Words in the title, number or text, separated by spaces</translation>
    </message>
    <message>
        <source>全部类型</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <source>全部年度</source>
        <translation>All years</translation>
    </message>
    <message>
        <source>任意关联</source>
        <translation>Any link</translation>
    </message>
    <message>
        <source>关联对象编码</source>
        <translation>Linked item code</translation>
    </message>
    <message>
        <source>查找</source>
        <translation>Find</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>文号</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>关联的预算对象</source>
        <translation>Linked budget items</translation>
    </message>
    <message>
        <source>编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>对象编码，例如部门编码或项目编码</source>
        <translation>Item code, e.g. a department or project code</translation>
    </message>
    <message>
        <source>关联到此对象</source>
        <translation>Link to this item</translation>
    </message>
    <message>
        <source>关联</source>
        <translation>Link</translation>
    </message>
    <message>
        <source>文档与档案</source>
        <translation>Documents and archives</translation>
    </message>
    <message>
        <source>没有找到文档。换几个词，或清除类型、年度和关联条件再找。</source>
        <translation>No documents found. Try other words, or clear the kind, year and link filters.</translation>
    </message>
    <message>
        <source>选择一份文档查看内容</source>
        <translation>Select a document to read it</translation>
    </message>
    <message>
        <source>已关联。</source>
        <translation>Linked.</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>预工委工作平台</source>
        <translation>Budget committee platform</translation>
    </message>
    <message>
        <source>专委会工作平台</source>
        <translation>Special committee platform</translation>
    </message>
    <message>
        <source>专家工作平台</source>
        <translation>Expert platform</translation>
    </message>
    <message>
        <source>代表工作平台</source>
        <translation>Deputy platform</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 年度</source>
        <translation>%1 · %2 · year %3</translation>
    </message>
    <message>
        <source>提建言</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>工作台</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>红色预警待处理</source>
        <translation>Open red warnings</translation>
    </message>
    <message>
        <source>黄色预警待处理</source>
        <translation>Open yellow warnings</translation>
    </message>
    <message>
        <source>建言待答复</source>
        <translation>Comments to answer</translation>
    </message>
    <message>
        <source>审查意见待验收</source>
        <translation>Opinions to accept</translation>
    </message>
    <message>
        <source>审查任务进行中</source>
        <translation>Review tasks in progress</translation>
    </message>
    <message>
        <source>需要跟进的预警</source>
        <translation>Warnings to follow up</translation>
    </message>
    <message>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>没有待处理的预警。</source>
        <translation>No open warnings.</translation>
    </message>
    <message>
        <source>最近的数据导入</source>
        <translation>Latest imports</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>行数</source>
        <translation>Rows</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>Added</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>还没有导入数据。到“数据接入”页导入各部门报送的文件。</source>
        <translation>Nothing imported yet. Import the bureaus&apos; files on the data links page.</translation>
    </message>
    <message>
        <source>联系的领域</source>
        <translation>Domains</translation>
    </message>
    <message>
        <source>红色预警</source>
        <translation>Red warnings</translation>
    </message>
    <message>
        <source>黄色预警</source>
        <translation>Yellow warnings</translation>
    </message>
    <message>
        <source>领域预算执行</source>
        <translation>Budget execution by domain</translation>
    </message>
    <message>
        <source>领域</source>
        <translation>Domain</translation>
    </message>
    <message>
        <source>部门数</source>
        <translation>Departments</translation>
    </message>
    <message>
        <source>预算</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>已支付</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>待处理预警</source>
        <translation>Open warnings</translation>
    </message>
    <message>
        <source>您还没有联系的专门委员会领域，请系统管理员授权。</source>
        <translation>You follow no special committee domain yet; ask the administrator.</translation>
    </message>
    <message>
        <source>领域内需要关注的预警</source>
        <translation>Warnings in your domains</translation>
    </message>
    <message>
        <source>领域内没有待处理的预警。</source>
        <translation>No open warnings in your domains.</translation>
    </message>
    <message>
        <source>我的建言</source>
        <translation>My comments</translation>
    </message>
    <message>
        <source>已答复</source>
        <translation>Answered</translation>
    </message>
    <message>
        <source>全市预算概览（四本预算）</source>
        <translation>City budget overview (four books)</translation>
    </message>
    <message>
        <source>预算数</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>调整后</source>
        <translation>Adjusted</translation>
    </message>
    <message>
        <source>已执行</source>
        <translation>Executed</translation>
    </message>
    <message>
        <source>执行率</source>
        <translation>Execution rate</translation>
    </message>
    <message>
        <source>本年度预算数据尚未公开。</source>
        <translation>This year&apos;s budget is not published yet.</translation>
    </message>
    <message>
        <source>我的建言和答复</source>
        <translation>My comments and answers</translation>
    </message>
    <message>
        <source>建言</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>答复</source>
        <translation>Answer</translation>
    </message>
    <message>
        <source>您还没有提出建言。点右上角“提建言”。</source>
        <translation>You have not commented yet. Click &quot;Comment&quot; at the top right.</translation>
    </message>
    <message>
        <source>待完成任务</source>
        <translation>Tasks to do</translation>
    </message>
    <message>
        <source>已逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>我的审查任务</source>
        <translation>My review tasks</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>审查对象</source>
        <translation>Review target</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>目前没有分派给您的审查任务。</source>
        <translation>No review tasks are assigned to you.</translation>
    </message>
    <message>
        <source>等待答复</source>
        <translation>Waiting for an answer</translation>
    </message>
    <message>
        <source>（已逾期）</source>
        <translation> (overdue)</translation>
    </message>
</context>
<context>
    <name>PlatformPage</name>
    <message>
        <source>操作没有完成，数据未改动：%1</source>
        <translation>Not done, nothing was changed: %1</translation>
    </message>
</context>
<context>
    <name>RegistriesPage</name>
    <message>
        <source>全部领域</source>
        <translation>All fields</translation>
    </message>
    <message>
        <source>姓名、单位或代表团</source>
        <translation>Name, organisation or delegation</translation>
    </message>
    <message>
        <source>专业领域</source>
        <translation>Fields of expertise</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>工作单位</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>职称</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>专家库中还没有专家。</source>
        <translation>The expert registry is empty.</translation>
    </message>
    <message>
        <source>用顿号分隔，例如：财政、教育、审计</source>
        <translation>Separated by 、 e.g. 财政、教育、审计</translation>
    </message>
    <message>
        <source>在库（可分派任务）</source>
        <translation>Active (may receive tasks)</translation>
    </message>
    <message>
        <source>清空，录入新专家</source>
        <translation>Clear, enter a new expert</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>专家库</source>
        <translation>Experts</translation>
    </message>
    <message>
        <source>代表团</source>
        <translation>Delegation</translation>
    </message>
    <message>
        <source>代表库中还没有代表，或没有符合条件的代表。</source>
        <translation>No deputies, or none match.</translation>
    </message>
    <message>
        <source>代表库</source>
        <translation>Deputies</translation>
    </message>
    <message>
        <source>专家库与代表库</source>
        <translation>Experts and deputies</translation>
    </message>
    <message>
        <source>（停用）</source>
        <translation> (inactive)</translation>
    </message>
    <message>
        <source>保存修改</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <source>专家信息已保存。</source>
        <translation>The expert&apos;s details are saved.</translation>
    </message>
    <message>
        <source>已加入专家库。</source>
        <translation>Added to the expert registry.</translation>
    </message>
</context>
<context>
    <name>ReviewPlanPage</name>
    <message>
        <source>排序对象</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>风险评分 = 预警 + 预算增长 + 执行进度 + 审计问题 + 预算规模，各项得分见右侧说明。按住 Ctrl 或 Shift 可选择多个对象。</source>
        <translation>Risk score = warnings + growth + execution + audit findings + size; each part is explained on the right. Hold Ctrl or Shift to select several.</translation>
    </message>
    <message>
        <source>名次</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>审查对象</source>
        <translation>Review target</translation>
    </message>
    <message>
        <source>专委会</source>
        <translation>Committee</translation>
    </message>
    <message>
        <source>评分</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>主要原因</source>
        <translation>Main reasons</translation>
    </message>
    <message>
        <source>评分说明</source>
        <translation>Score explained</translation>
    </message>
    <message>
        <source>因素</source>
        <translation>Factor</translation>
    </message>
    <message>
        <source>数值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>得分</source>
        <translation>Points</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <source>%1年度重点审查计划</source>
        <translation>Key review plan %1</translation>
    </message>
    <message>
        <source>用选中的对象生成审查计划</source>
        <translation>Make a review plan from the selection</translation>
    </message>
    <message>
        <source>选中前 N 名</source>
        <translation>Select top N</translation>
    </message>
    <message>
        <source>计划名称</source>
        <translation>Plan title</translation>
    </message>
    <message>
        <source>审查计划</source>
        <translation>Review plan</translation>
    </message>
    <message>
        <source>专家</source>
        <translation>Experts</translation>
    </message>
    <message>
        <source>采用推荐专家</source>
        <translation>Adopt suggested experts</translation>
    </message>
    <message>
        <source>（不指定专委会）</source>
        <translation>(no committee)</translation>
    </message>
    <message>
        <source>设为选中对象的专委会</source>
        <translation>Set committee of selected</translation>
    </message>
    <message>
        <source>yyyy年M月d日</source>
        <translation>d MMM yyyy</translation>
    </message>
    <message>
        <source>分派审查任务</source>
        <translation>Send review tasks</translation>
    </message>
    <message>
        <source>加给选中对象</source>
        <translation>Add to selected</translation>
    </message>
    <message>
        <source>清除选中对象的专家</source>
        <translation>Clear experts of selected</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>智能审查计划</source>
        <translation>Review plan</translation>
    </message>
    <message>
        <source>（预工委）</source>
        <translation>(budget committee)</translation>
    </message>
    <message>
        <source>本年度还没有可排序的预算数据。请先导入或生成预算数据。</source>
        <translation>No budget data to rank this year. Import or generate budget data first.</translation>
    </message>
    <message>
        <source>评分说明：%1 共 %2 分</source>
        <translation>Score explained: %1, %2 points</translation>
    </message>
    <message>
        <source>已生成审查计划 %1，请分配专家和专委会后分派任务。</source>
        <translation>Review plan %1 created; assign experts and committees, then send the tasks.</translation>
    </message>
    <message>
        <source>还没有审查计划：在上面的排序中选择对象，生成计划。</source>
        <translation>No review plan yet: select targets in the ranking above and make one.</translation>
    </message>
    <message>
        <source>（未指定）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>（未分配）</source>
        <translation>(none assigned)</translation>
    </message>
    <message>
        <source>状态：%1 · 对象 %2 个 · 任务 %3 项</source>
        <translation>Status: %1 · %2 targets · %3 tasks</translation>
    </message>
    <message>
        <source>已为 %1 个审查对象分配推荐的专家。</source>
        <translation>Suggested experts assigned to %1 targets.</translation>
    </message>
    <message>
        <source>请先在计划中选择审查对象</source>
        <translation>Select targets in the plan first</translation>
    </message>
    <message>
        <source>已设置 %1 个对象的专委会。</source>
        <translation>Committee set for %1 targets.</translation>
    </message>
    <message>
        <source>已调整 %1 个对象的专家。</source>
        <translation>Experts changed for %1 targets.</translation>
    </message>
    <message>
        <source>请先生成审查计划</source>
        <translation>Make a review plan first</translation>
    </message>
    <message>
        <source>已分派 %1 项审查任务。</source>
        <translation>%1 review tasks sent.</translation>
    </message>
</context>
<context>
    <name>ReviewTasksPage</name>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>选中任务，在右侧查看审查要求。专家接受任务后填写审查意见和结论并提交；预工委工作人员验收或退回。</source>
        <translation>Select a task to see what to review. Experts accept, write the opinion and conclusion and submit; staff accept or return it.</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>审查对象</source>
        <translation>Review target</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>承办</source>
        <translation>Reviewer</translation>
    </message>
    <message>
        <source>审查要求</source>
        <translation>What to review</translation>
    </message>
    <message>
        <source>审查意见</source>
        <translation>Review opinion</translation>
    </message>
    <message>
        <source>写明审查发现的问题、理由和建议（至少 10 个字）。</source>
        <translation>State the problems found, the reasons and your advice (at least 10 characters).</translation>
    </message>
    <message>
        <source>审查结论</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>请选择</source>
        <translation>Choose</translation>
    </message>
    <message>
        <source>接受任务</source>
        <translation>Accept task</translation>
    </message>
    <message>
        <source>保存草稿</source>
        <translation>Save draft</translation>
    </message>
    <message>
        <source>提交意见</source>
        <translation>Submit opinion</translation>
    </message>
    <message>
        <source>退回理由，例如：请补充对资金闲置的意见</source>
        <translation>Reason for returning, e.g. Please add your view on the idle funds</translation>
    </message>
    <message>
        <source>退回修改</source>
        <translation>Return for changes</translation>
    </message>
    <message>
        <source>验收通过</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>审查任务</source>
        <translation>Review tasks</translation>
    </message>
    <message>
        <source>我的审查任务</source>
        <translation>My review tasks</translation>
    </message>
    <message>
        <source>（已逾期）</source>
        <translation> (overdue)</translation>
    </message>
    <message>
        <source>目前没有分派给您的审查任务。</source>
        <translation>No review tasks are assigned to you.</translation>
    </message>
    <message>
        <source>还没有审查任务。在“审查计划”页分派专家后生成任务。</source>
        <translation>No review tasks yet. Assign experts on the review plan page to create them.</translation>
    </message>
    <message>
        <source>选择一项任务查看审查要求。</source>
        <translation>Select a task to see what to review.</translation>
    </message>
    <message>
        <source>已接受任务。</source>
        <translation>Task accepted.</translation>
    </message>
    <message>
        <source>草稿已保存。</source>
        <translation>Draft saved.</translation>
    </message>
    <message>
        <source>审查意见已提交，等待预工委验收。</source>
        <translation>Opinion submitted; waiting for the budget committee to accept it.</translation>
    </message>
    <message>
        <source>已验收。</source>
        <translation>Accepted.</translation>
    </message>
    <message>
        <source>已退回专家修改。</source>
        <translation>Returned to the expert for changes.</translation>
    </message>
</context>
</TS>
