<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AssistanceScreen</name>
    <message>
        <source>不会使用自助机</source>
        <translation>Not sure how to use the kiosk</translation>
    </message>
    <message>
        <source>行动不便</source>
        <translation>Limited mobility</translation>
    </message>
    <message>
        <source>视力、听力不便</source>
        <translation>Poor sight or hearing</translation>
    </message>
    <message>
        <source>材料准备有疑问</source>
        <translation>Questions about the documents</translation>
    </message>
    <message>
        <source>代他人办理</source>
        <translation>Applying for someone else</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>帮办代办 · 工作人员帮您办</source>
        <translation>Assisted service · staff will help you</translation>
    </message>
    <message>
        <source>行动不便、不会操作、材料有疑问？工作人员可以帮您办理，或为您代办。
请选择您的情况（可不选）：</source>
        <translation>Hard to get about, unsure of the kiosk, questions about documents? Staff can help you apply, or apply for you.
Tell us what applies (optional):</translation>
    </message>
    <message>
        <source>取号，并请工作人员帮办</source>
        <translation>Take a number with staff help</translation>
    </message>
    <message>
        <source>只呼叫工作人员</source>
        <translation>Just call a staff member</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>已通知工作人员，请在此稍候，工作人员会尽快过来。</source>
        <translation>Staff have been told. Please wait here: someone will come to you shortly.</translation>
    </message>
</context>
<context>
    <name>BundlesScreen</name>
    <message>
        <source>一件事一次办 · 相关事项一次办好</source>
        <translation>Life events · related services done in one visit</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>请带好以下材料（已合并，每样带一份）</source>
        <translation>Please bring (merged: one of each)</translation>
    </message>
    <message>
        <source>取号办理  Take a number</source>
        <translation>Take a number</translation>
    </message>
    <message>
        <source>请在左边选择您要办的一件事</source>
        <translation>Choose your life event on the left</translation>
    </message>
    <message>
        <source>包含 1 项事项</source>
        <translation>1 service</translation>
    </message>
    <message>
        <source>包含 {n} 项事项</source>
        <translation>{n} services</translation>
    </message>
    <message>
        <source>一次办好：</source>
        <translation>All in one visit: </translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>无需准备材料，直接取号即可。</source>
        <translation>Nothing to bring: just take a number.</translation>
    </message>
    <message>
        <source>办理窗口：{window}</source>
        <translation>Window: {window}</translation>
    </message>
    <message>
        <source>请到服务台咨询办理窗口</source>
        <translation>Please ask at the service desk which window to go to</translation>
    </message>
</context>
<context>
    <name>CardTickets</name>
    <message>
        <source>也可以把身份证放到读卡区，查看您今天取的号</source>
        <translation>Or lay your ID card on the reader to see the numbers you took today</translation>
    </message>
    <message>
        <source>正在查找这张身份证今天取的号…</source>
        <translation>Looking for today&apos;s numbers of this ID card…</translation>
    </message>
    <message>
        <source>今天没有用这张身份证取的号，请输入小票上的号码</source>
        <translation>No number was taken with this ID card today: please type the number on your ticket</translation>
    </message>
    <message>
        <source>您今天取的号（点一个来评价）：</source>
        <translation>Your numbers today (tap one to rate it):</translation>
    </message>
    <message>
        <source>（已评价）</source>
        <translation> (rated)</translation>
    </message>
</context>
<context>
    <name>GuideDetailScreen</name>
    <message>
        <source>本站可办</source>
        <translation>Available at this station</translation>
    </message>
    <message>
        <source>网上可办</source>
        <translation>Available online</translation>
    </message>
    <message>
        <source>区内通办：区内各便民服务中心都能办</source>
        <translation>District-wide: any service centre in the district can do it</translation>
    </message>
    <message>
        <source>本站也可帮您办理</source>
        <translation>This station can also help you do it</translation>
    </message>
    <message>
        <source>本站暂不受理，请到服务台咨询</source>
        <translation>Not available at this station: please ask at the service desk</translation>
    </message>
    <message>
        <source>收费</source>
        <translation>Fee</translation>
    </message>
    <message>
        <source>办理时限</source>
        <translation>Time limit</translation>
    </message>
    <message>
        <source>办理部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>办理窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <source>打印办事指南</source>
        <translation>Print this guide</translation>
    </message>
    <message>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>已打印，请取走</source>
        <translation>Printed: please take it</translation>
    </message>
    <message>
        <source>打印机暂不可用</source>
        <translation>The printer is unavailable</translation>
    </message>
    <message>
        <source>返回列表</source>
        <translation>Back to list</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>请带好以下材料</source>
        <translation>Please bring</translation>
    </message>
    <message>
        <source>手机扫码，网上办理</source>
        <translation>Scan with your phone to apply online</translation>
    </message>
    <message>
        <source>取号办理  Take a number</source>
        <translation>Take a number</translation>
    </message>
    <message>
        <source>在哪里办</source>
        <translation>Where to apply</translation>
    </message>
    <message>
        <source>无需准备材料，直接取号即可。</source>
        <translation>Nothing to bring: just take a number.</translation>
    </message>
    <message>
        <source>请到服务台咨询</source>
        <translation>Please ask at the service desk</translation>
    </message>
</context>
<context>
    <name>GuidesScreen</name>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>办事指南 · 查一查要带什么</source>
        <translation>Service guides · what to bring</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>没有找到，请按“清空”重新输入</source>
        <translation>Nothing found: press “Clear” and try again</translation>
    </message>
    <message>
        <source>按拼音首字母查找</source>
        <translation>Search by pinyin initials</translation>
    </message>
    <message>
        <source>例：社保卡 → 按 S、B</source>
        <translation>Example: social security card (She Bao) → press S, B</translation>
    </message>
    <message>
        <source>共 1 项，点它查看办事指南</source>
        <translation>1 service: tap it to see its guide</translation>
    </message>
    <message>
        <source>共 {n} 项，点一项查看办事指南</source>
        <translation>{n} services: tap one to see its guide</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <source>● 在线</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>● 离线 · 取号不受影响</source>
        <translation>● Offline · numbers still work</translation>
    </message>
    <message>
        <source>● 离线</source>
        <translation>● Offline</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>您好！请选择要办理的业务</source>
        <translation>Hello! What would you like to do?</translation>
    </message>
    <message>
        <source>取号
Take a number</source>
        <translation>Take a number</translation>
    </message>
    <message>
        <source>办事指南
Service guides</source>
        <translation>Service guides</translation>
    </message>
    <message>
        <source>一件事一次办
Life events</source>
        <translation>Life events</translation>
    </message>
    <message>
        <source>附近站点
Nearby stations</source>
        <translation>Nearby stations</translation>
    </message>
    <message>
        <source>服务评价
Rate the service</source>
        <translation>Rate the service</translation>
    </message>
    <message>
        <source>打印机缺纸：仍可取号，号码和二维码会显示在屏幕上，请用手机拍下。</source>
        <translation>The printer is out of paper. You can still take a number: it is shown on screen with its QR code for you to photograph.</translation>
    </message>
    <message>
        <source>打印机暂不可用：仍可取号，号码和二维码会显示在屏幕上，请用手机拍下。</source>
        <translation>The printer is not available. You can still take a number: it is shown on screen with its QR code for you to photograph.</translation>
    </message>
    <message>
        <source>取号</source>
        <translation>Take a number</translation>
    </message>
    <message>
        <source>办事指南</source>
        <translation>Service guides</translation>
    </message>
    <message>
        <source>服务评价
{number} 号请评价</source>
        <translation>Rate the service
{number}: rate it now</translation>
    </message>
    <message>
        <source>服务评价</source>
        <translation>Rate the service</translation>
    </message>
    <message>
        <source>帮办代办</source>
        <translation>Ask for help</translation>
    </message>
    <message>
        <source>帮办代办
Ask for help</source>
        <translation>Ask for help</translation>
    </message>
    <message>
        <source>返回普通模式</source>
        <translation>Back to
normal mode</translation>
    </message>
    <message>
        <source>长辈模式</source>
        <translation>Elder mode</translation>
    </message>
    <message>
        <source>刚办完业务？请点您的号码，为本次服务评价：</source>
        <translation>Just been served? Tap your number to rate the service:</translation>
    </message>
    <message>
        <source>办理时间：{hours}</source>
        <translation>Opening hours: {hours}</translation>
    </message>
    <message>
        <source>本机暂停取号，请到服务台人工取号。
技术人员：本机的号码记录丢失，请运行 kiosk store recover 恢复后再开机。</source>
        <translation>This kiosk is not issuing numbers: please ask at the service desk.
Technician: this kiosk&apos;s number records were lost; run kiosk store recover, then start it again.</translation>
    </message>
    <message>
        <source>自助取号暂时无法使用，请到服务台人工取号。
Self-service is unavailable: please ask at the service desk.</source>
        <translation>Self-service numbers are unavailable right now.
Please ask for a number at the service desk.</translation>
    </message>
    <message>
        <source>{district} 10分钟政务服务圈</source>
        <translation>{district} · 10-minute government service circle</translation>
    </message>
    <message>
        <source>正在准备，请稍候…</source>
        <translation>Getting ready, please wait…</translation>
    </message>
    <message>
        <source>本站地址：{address}</source>
        <translation>Address: {address}</translation>
    </message>
    <message>
        <source>咨询电话：{phone}</source>
        <translation>Phone: {phone}</translation>
    </message>
</context>
<context>
    <name>Hours</name>
    <message>
        <source>周一至周五</source>
        <translation>Mon–Fri</translation>
    </message>
    <message>
        <source>周六日</source>
        <translation>Sat–Sun</translation>
    </message>
    <message>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>每天</source>
        <translation>Daily</translation>
    </message>
    <message>
        <source>中午不打烊</source>
        <translation>Open at noon</translation>
    </message>
    <message>
        <source>延时服务</source>
        <translation>Extended hours</translation>
    </message>
    <message>
        <source>24小时自助</source>
        <translation>24h self-service</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>IdKeypadScreen</name>
    <message>
        <source>请输入18位身份证号码</source>
        <translation>Enter the 18-character ID number</translation>
    </message>
    <message>
        <source>已输入 {n} 位，共18位</source>
        <translation>{n} of 18 characters entered</translation>
    </message>
    <message>
        <source>前17位只能是数字，最后一位是数字或X</source>
        <translation>The first 17 characters are digits; the last is a digit or X</translation>
    </message>
    <message>
        <source>号码校验不通过，请核对后重新输入</source>
        <translation>The check digit does not match: please check the number</translation>
    </message>
    <message>
        <source>号码中的出生日期不正确，请核对</source>
        <translation>The birth date in the number is not valid: please check</translation>
    </message>
    <message>
        <source>号码正确，请按“确定”</source>
        <translation>The number is valid: press “OK”</translation>
    </message>
    <message>
        <source>输入身份证号码</source>
        <translation>Enter your resident ID number</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>IdlePrompt</name>
    <message>
        <source>您还需要更多时间吗？</source>
        <translation>Do you need more time?</translation>
    </message>
    <message>
        <source>继续使用</source>
        <translation>Yes, I need more time</translation>
    </message>
    <message>
        <source>{n} 秒后将回到首页，并清除您的信息。</source>
        <translation>In {n} s the kiosk returns to the start and clears your details.</translation>
    </message>
</context>
<context>
    <name>KeyPad</name>
    <message>
        <source>删除</source>
        <translation>Del</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>10分钟政务服务圈 · 自助服务</source>
        <translation>10-minute government service circle · self-service</translation>
    </message>
</context>
<context>
    <name>MessageScreen</name>
    <message>
        <source>自助取号暂时无法使用，请到服务台人工取号。
Please ask at the service desk.</source>
        <translation>Self-service numbers are unavailable right now.
Please ask for a number at the service desk.</translation>
    </message>
    <message>
        <source>现在不是办理时间</source>
        <translation>The station is closed now</translation>
    </message>
    <message>
        <source>本站现在不取号。{hours}
The station is closed now.</source>
        <translation>No numbers are issued now.
{hours}</translation>
    </message>
    <message>
        <source>今日号码已取完</source>
        <translation>No more numbers today</translation>
    </message>
    <message>
        <source>本机今日号码已全部发出，请到服务台咨询。
No more numbers today: please ask at the desk.</source>
        <translation>This kiosk has issued all of today’s numbers.
Please ask at the service desk.</translation>
    </message>
    <message>
        <source>该事项暂不可办理</source>
        <translation>This service is not available</translation>
    </message>
    <message>
        <source>请返回重新选择，或到服务台咨询。
This service is not available here.</source>
        <translation>Please go back and choose again, or ask at the service desk.</translation>
    </message>
    <message>
        <source>暂时无法取号</source>
        <translation>Numbers are unavailable right now</translation>
    </message>
    <message>
        <source>请取走您的身份证</source>
        <translation>Please take your ID card</translation>
    </message>
    <message>
        <source>身份证还在读卡区上。取走后自动返回首页。</source>
        <translation>Your ID card is still on the reader. Once you take it, the kiosk returns to the start.</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>办理时间：{hours}</source>
        <translation>Opening hours: {hours}</translation>
    </message>
</context>
<context>
    <name>RatingScreen</name>
    <message>
        <source>谢谢您的评价！</source>
        <translation>Thank you for your rating!</translation>
    </message>
    <message>
        <source>您的意见会帮助我们把服务做得更好。
Thank you for your feedback.</source>
        <translation>Your feedback helps us serve you better.</translation>
    </message>
    <message>
        <source>这个号码已经评价过了</source>
        <translation>This number has already been rated</translation>
    </message>
    <message>
        <source>这个号码已经评价过了，感谢您的参与。
This number has already been rated.</source>
        <translation>This number has already been rated. Thank you for taking part.</translation>
    </message>
    <message>
        <source>评价没有提交成功</source>
        <translation>The rating was not saved</translation>
    </message>
    <message>
        <source>请返回再试一次，或到服务台反映。
The rating could not be saved.</source>
        <translation>Please try again, or tell us at the service desk.</translation>
    </message>
    <message>
        <source>暂时无法提交评价</source>
        <translation>Rating is unavailable right now</translation>
    </message>
    <message>
        <source>请稍后再试，或到服务台反映意见。
Rating is unavailable right now.</source>
        <translation>Please try again later, or tell us at the service desk.</translation>
    </message>
    <message>
        <source>没有找到这张号票，请核对票号</source>
        <translation>This ticket number was not found. Please check the number on your ticket.</translation>
    </message>
    <message>
        <source>这张号票还没有办结，办结后才能评价</source>
        <translation>This ticket has not been served yet. You can rate it once your matter is done.</translation>
    </message>
    <message>
        <source>评价码不对，请核对号票上的6位评价码</source>
        <translation>The rating code does not match. Please check the 6-digit rating code on your ticket.</translation>
    </message>
    <message>
        <source>这张号票不是本站点的，请到取号的站点评价</source>
        <translation>This ticket is from another station. Please rate it at the station where you took it.</translation>
    </message>
    <message>
        <source>这张号票的评价时间已过</source>
        <translation>The time for rating this ticket has passed.</translation>
    </message>
    <message>
        <source>这张号票已经评价过了，每次办事只评价一次</source>
        <translation>This ticket has already been rated. Each visit is rated once.</translation>
    </message>
    <message>
        <source>这张号票现在不能评价</source>
        <translation>This ticket cannot be rated now</translation>
    </message>
    <message>
        <source>现在暂时无法核对这张号票</source>
        <translation>The ticket cannot be checked right now</translation>
    </message>
    <message>
        <source>请稍后再试；也可以在办事窗口的窗口评价器上评价，或用手机扫描号票上的二维码评价。</source>
        <translation>Please try again later. You can also rate on the rating pad at the service window, or scan the QR code on your ticket with your phone.</translation>
    </message>
    <message>
        <source>这台自助机不能用身份证核对，请输入号票上的评价码</source>
        <translation>This kiosk cannot check ID cards for rating. Please type the rating code on your ticket.</translation>
    </message>
    <message>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <source>基本满意</source>
        <translation>Mostly satisfied</translation>
    </message>
    <message>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <source>服务态度差</source>
        <translation>Unfriendly staff</translation>
    </message>
    <message>
        <source>等候时间长</source>
        <translation>Long wait</translation>
    </message>
    <message>
        <source>告知不清、材料要求不明</source>
        <translation>Unclear information or requirements</translation>
    </message>
    <message>
        <source>办理效率低</source>
        <translation>Slow handling</translation>
    </message>
    <message>
        <source>多次跑腿</source>
        <translation>Had to come back several times</translation>
    </message>
    <message>
        <source>环境设施差</source>
        <translation>Poor facilities</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>服务评价 · 好差评</source>
        <translation>Rate the service</translation>
    </message>
    <message>
        <source>您对本次服务满意吗？请点一个表情</source>
        <translation>Were you satisfied with the service? Tap a face</translation>
    </message>
    <message>
        <source>提交评价  Submit</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>请输入号票上“评价码”后面的6位数字</source>
        <translation>Type the 6-digit rating code printed on your ticket</translation>
    </message>
    <message>
        <source>没有号票？把取号时用的身份证放到读卡区也可以</source>
        <translation>No ticket at hand? Lay the ID card you took the number with on the reader.</translation>
    </message>
    <message>
        <source>重新输入号码</source>
        <translation>Other number</translation>
    </message>
    <message>
        <source>正在核对…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>确定  OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>已读取身份证</source>
        <translation>ID card read</translation>
    </message>
    <message>
        <source>哪里不满意？（可多选，至少选一项）</source>
        <translation>What went wrong? (choose one or more)</translation>
    </message>
    <message>
        <source>留个电话，我们会回访您（可不填）</source>
        <translation>Phone for a call back (optional)</translation>
    </message>
    <message>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>重新输入评价码</source>
        <translation>Type the code again</translation>
    </message>
    <message>
        <source>再试一次</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>跳过评价</source>
        <translation>Skip</translation>
    </message>
    <message>
        <source>号码 {number}</source>
        <translation>Number {number}</translation>
    </message>
    <message>
        <source>号码还不完整：手机号11位，座机请带区号</source>
        <translation>Incomplete: 11 digits, or area code + number</translation>
    </message>
    <message>
        <source>请告诉我们哪里不满意</source>
        <translation>Please tell us what went wrong</translation>
    </message>
    <message>
        <source>您选择了“{level}”，请按“提交评价”</source>
        <translation>You chose “{level}”: press “Submit”</translation>
    </message>
    <message>
        <source>请输入号票上的号码：先按字母，再按数字（例如 A001）</source>
        <translation>Type the number on your ticket: the letter first, then the digits (for example A001)</translation>
    </message>
    <message>
        <source>下一步  Next</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>ServicesScreen</name>
    <message>
        <source>读卡器暂不可用：可点“输入身份证号”，或直接选择事项</source>
        <translation>The card reader is unavailable: tap “Enter ID number”, or choose a service directly</translation>
    </message>
    <message>
        <source>读卡失败：请拿起身份证，再重新放到读卡区</source>
        <translation>The card could not be read: lift your ID card and place it on the reader again</translation>
    </message>
    <message>
        <source>可在读卡区放置身份证，长者自动优先（可跳过，直接选择事项）</source>
        <translation>Place your ID card on the reader: seniors get priority (optional: you can choose a service directly)</translation>
    </message>
    <message>
        <source>已识别：{who}</source>
        <translation>Identified: {who}</translation>
    </message>
    <message>
        <source>&#x3000;·&#x3000;长者优先</source>
        <translation>  ·  senior priority</translation>
    </message>
    <message>
        <source>请选择办理事项</source>
        <translation>Choose a service</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>输入身份证号</source>
        <translation>Enter ID number</translation>
    </message>
    <message>
        <source>残疾人优先</source>
        <translation>Disability priority</translation>
    </message>
    <message>
        <source>孕妇优先</source>
        <translation>Pregnancy priority</translation>
    </message>
    <message>
        <source>当前等候 {n} 人</source>
        <translation>Waiting now: {n}</translation>
    </message>
    <message>
        <source> · 约 {minutes} 分钟</source>
        <translation> · about {minutes} min</translation>
    </message>
</context>
<context>
    <name>StationMap</name>
    <message>
        <source>暂无站点信息</source>
        <translation>No station information</translation>
    </message>
    <message>
        <source>{name} {n}分钟</source>
        <translation>{name} {n} min</translation>
    </message>
    <message>
        <source>步行{n}分钟</source>
        <translation>{n} min walk</translation>
    </message>
    <message>
        <source>您在这里：{name}</source>
        <translation>You are here: {name}</translation>
    </message>
    <message>
        <source>↑
北</source>
        <translation>↑
N</translation>
    </message>
</context>
<context>
    <name>StationsScreen</name>
    <message>
        <source>本站</source>
        <translation>Here</translation>
    </message>
    <message>
        <source>{n}
分钟</source>
        <translation>{n}
min</translation>
    </message>
    <message>
        <source>办理时间请电话咨询</source>
        <translation>Please call for opening hours</translation>
    </message>
    <message>
        <source>可办 1 项事项</source>
        <translation>1 service</translation>
    </message>
    <message>
        <source>可办 {n} 项事项</source>
        <translation>{n} services</translation>
    </message>
    <message>
        <source> · 当前等候 {n} 人</source>
        <translation> · waiting now: {n}</translation>
    </message>
    <message>
        <source>附近的便民服务站 · 步行可达</source>
        <translation>Nearby service stations · within walking distance</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>圆圈：步行5、10、15分钟（按每分钟{speed}米直线估算）</source>
        <translation>Rings: 5, 10 and 15 minutes on foot (straight line at {speed} m per minute)</translation>
    </message>
</context>
<context>
    <name>TechnicianPinScreen</name>
    <message>
        <source>请输入技术人员密码</source>
        <translation>Enter the technician PIN</translation>
    </message>
    <message>
        <source>密码不正确，还可以再试 {n} 次</source>
        <translation>Wrong PIN: {n} tries left</translation>
    </message>
    <message>
        <source>输错次数过多，已锁定：请 {n} 分钟后再试</source>
        <translation>Too many wrong PINs, locked: try again in {n} min</translation>
    </message>
    <message>
        <source>密码不正确，还可以再试 1 次</source>
        <translation>Wrong PIN: 1 try left</translation>
    </message>
    <message>
        <source>本机未设置技术人员密码（kiosk.technician_pin_hash）</source>
        <translation>No technician PIN is set on this kiosk (kiosk.technician_pin_hash)</translation>
    </message>
    <message>
        <source>技术人员验证</source>
        <translation>Technician PIN</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>TechnicianScreen</name>
    <message>
        <source>纸充足</source>
        <translation>paper ok</translation>
    </message>
    <message>
        <source>纸将尽</source>
        <translation>paper low</translation>
    </message>
    <message>
        <source>缺纸</source>
        <translation>paper out</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>已注册</source>
        <translation>enrolled</translation>
    </message>
    <message>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>读卡器</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <source>读卡测试</source>
        <translation>Card test</translation>
    </message>
    <message>
        <source>待上传</source>
        <translation>Upload queue</translation>
    </message>
    <message>
        <source>一小时办结</source>
        <translation>One-hour rule</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>目录版本</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <source>设备故障</source>
        <translation>Device fault</translation>
    </message>
    <message>
        <source>设备恢复</source>
        <translation>Device recovered</translation>
    </message>
    <message>
        <source>纸将用完</source>
        <translation>Paper low</translation>
    </message>
    <message>
        <source>帮办代办请求</source>
        <translation>Help requested</translation>
    </message>
    <message>
        <source>程序启动</source>
        <translation>App started</translation>
    </message>
    <message>
        <source>同步出错</source>
        <translation>Sync error</translation>
    </message>
    <message>
        <source>一小时办结统计</source>
        <translation>One-hour figures</translation>
    </message>
    <message>
        <source>丢失记录的补记</source>
        <translation>Lost record filled in</translation>
    </message>
    <message>
        <source>打印机离线</source>
        <translation>Printer offline</translation>
    </message>
    <message>
        <source>打印失败</source>
        <translation>Print failed</translation>
    </message>
    <message>
        <source>读卡器不可用（检查连线与端口）</source>
        <translation>Reader unavailable (check the cable and port)</translation>
    </message>
    <message>
        <source>端口打不开</source>
        <translation>Port cannot be opened</translation>
    </message>
    <message>
        <source>读卡器无应答</source>
        <translation>Reader does not answer</translation>
    </message>
    <message>
        <source>不支持的读卡器</source>
        <translation>Unsupported reader</translation>
    </message>
    <message>
        <source>通信数据错误（检查波特率与连线）</source>
        <translation>Garbled data (check the baud rate and cable)</translation>
    </message>
    <message>
        <source>安全模块故障（需维修）</source>
        <translation>Security module fault (needs service)</translation>
    </message>
    <message>
        <source>读卡失败</source>
        <translation>Card read failed</translation>
    </message>
    <message>
        <source>通信协议错误</source>
        <translation>Protocol error</translation>
    </message>
    <message>
        <source>证件信息无法解析</source>
        <translation>Card text cannot be read</translation>
    </message>
    <message>
        <source>内容不合规</source>
        <translation>Invalid content</translation>
    </message>
    <message>
        <source>服务器不认识的记录</source>
        <translation>Record the server does not know</translation>
    </message>
    <message>
        <source>序号冲突</source>
        <translation>Sequence conflict</translation>
    </message>
    <message>
        <source>记录号冲突</source>
        <translation>Record id conflict</translation>
    </message>
    <message>
        <source>已评价过</source>
        <translation>Already rated</translation>
    </message>
    <message>
        <source>取号</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>评价</source>
        <translation>Rating</translation>
    </message>
    <message>
        <source>事件</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>尚未检测</source>
        <translation>not checked yet</translation>
    </message>
    <message>
        <source>无应答（检查电源与连线）</source>
        <translation>no answer (check power and cable)</translation>
    </message>
    <message>
        <source>在线</source>
        <translation>online</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>安装时的目录文件（尚未从区里同步目录）</source>
        <translation>The installation's catalogue file (nothing synced from the district yet)</translation>
    </message>
    <message>
        <source>区目录第 {version} 版</source>
        <translation>District catalogue version {version}</translation>
    </message>
    <message>
        <source>服务器拒收的记录（已保留）</source>
        <translation>Records the server refused (kept)</translation>
    </message>
    <message>
        <source>机盖打开</source>
        <translation>cover open</translation>
    </message>
    <message>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <source>正常</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>故障：{kind}</source>
        <translation>fault: {kind}</translation>
    </message>
    <message>
        <source>今日已办结 {served} 张，其中 {within} 张在一小时内开始办理</source>
        <translation>Served today: {served}, of which {within} started within the hour</translation>
    </message>
    <message>
        <source>今日尚无办结</source>
        <translation>None served yet today</translation>
    </message>
    <message>
        <source>；{day}：{within}/{served}（{share}）</source>
        <translation>; {day}: {within}/{served} ({share})</translation>
    </message>
    <message>
        <source>同步服务器：未配置（仅离线）</source>
        <translation>Sync server: not configured (offline only)</translation>
    </message>
    <message>
        <source>同步服务器：{server}</source>
        <translation>Sync server: {server}</translation>
    </message>
    <message>
        <source>上次同步成功：上传 {acked} 条，下载 {pulled} 条，待上传 {pending} 条，{seconds} 秒</source>
        <translation>Last sync ok: {acked} sent, {pulled} received, {pending} waiting, {seconds} s</translation>
    </message>
    <message>
        <source>同步失败（{kind}）：{detail}</source>
        <translation>Sync failed ({kind}): {detail}</translation>
    </message>
    <message>
        <source>技术人员模式</source>
        <translation>Technician mode</translation>
    </message>
    <message>
        <source>终端 {kiosk} · 站点 {station} · 版本 {version}</source>
        <translation>Kiosk {kiosk} · station {station} · version {version}</translation>
    </message>
    <message>
        <source>最近事件</source>
        <translation>Recent events</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>测试打印</source>
        <translation>Test print</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>退出到桌面</source>
        <translation>Quit to desktop</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>读卡成功：{card}</source>
        <translation>Card read: {card}</translation>
    </message>
    <message>
        <source>放一张证件到读卡区以测试读卡</source>
        <translation>Lay a card on the reader to test it</translation>
    </message>
    <message>
        <source>{pending} 条待上传 · 今日已取号 {tickets} 张</source>
        <translation>{pending} waiting to upload · {tickets} tickets today</translation>
    </message>
</context>
<context>
    <name>TicketScreen</name>
    <message>
        <source>打印机暂不可用：请用手机拍下本页二维码，或记住您的号码。</source>
        <translation>The printer is unavailable: please photograph the QR code on this page, or remember your number.</translation>
    </message>
    <message>
        <source>正在打印小票…</source>
        <translation>Printing your ticket…</translation>
    </message>
    <message>
        <source>小票已打印，请取走小票。</source>
        <translation>Your ticket is printed: please take it.</translation>
    </message>
    <message>
        <source>打印机缺纸：请用手机拍下本页二维码，或记住您的号码。</source>
        <translation>The printer is out of paper: please photograph the QR code on this page, or remember your number.</translation>
    </message>
    <message>
        <source>小票打印失败：请用手机拍下本页二维码，或记住您的号码。</source>
        <translation>The ticket could not be printed: please photograph the QR code on this page, or remember your number.</translation>
    </message>
    <message>
        <source>长者优先</source>
        <translation>Senior priority</translation>
    </message>
    <message>
        <source>残疾人优先</source>
        <translation>Disability priority</translation>
    </message>
    <message>
        <source>孕妇优先</source>
        <translation>Pregnancy priority</translation>
    </message>
    <message>
        <source>您的号码是 {number}，前面还有 1 人等候</source>
        <translation>Your number is {number}. 1 person is waiting before you</translation>
    </message>
    <message>
        <source>您的号码是 {number}，前面还有 {n} 人等候</source>
        <translation>Your number is {number}. {n} people are waiting before you</translation>
    </message>
    <message>
        <source>请取走小票</source>
        <translation>Please take your slip</translation>
    </message>
    <message>
        <source>请取走您的身份证</source>
        <translation>Please take your ID card</translation>
    </message>
    <message>
        <source>。</source>
        <translation>. </translation>
    </message>
    <message>
        <source>您的号码</source>
        <translation>Your number</translation>
    </message>
    <message>
        <source>扫码查看排队进度、评价服务</source>
        <translation>Scan to follow the queue and rate the service</translation>
    </message>
    <message>
        <source>完成，返回首页</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>前面还有 &lt;b&gt;{n}&lt;/b&gt; 人等候，优先号会提前叫到您</source>
        <translation>People waiting before you: &lt;b&gt;{n}&lt;/b&gt;. Priority numbers are called sooner.</translation>
    </message>
    <message>
        <source>前面还有 &lt;b&gt;{n}&lt;/b&gt; 人等候</source>
        <translation>People waiting before you: &lt;b&gt;{n}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>请到 {window} 等候叫号。</source>
        <translation>Please wait for your number at: {window}</translation>
    </message>
    <message>
        <source>请在大厅等候叫号。</source>
        <translation>Please wait in the hall until your number is called.</translation>
    </message>
    <message>
        <source>请准备：</source>
        <translation>Please have ready: </translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>已登记帮办代办：工作人员会主动来帮您。</source>
        <translation>Assisted service noted: a staff member will come to help you.</translation>
    </message>
    <message>
        <source>评价码 {code}
办结后凭号码和评价码评价服务</source>
        <translation>Rating code {code}
When you are done, rate the service with your number and this code</translation>
    </message>
</context>
</TS>
