"""简体中文：所有面向用户的文字。Keys are shared with ``en.py``."""

ZH: dict[str, str] = {
    # --- common ---
    "help": (
        "<b>前门 Frontdoor · 企业服务直通站</b>\n"
        "1. /start 登记企业（统一社会信用代码），之后随时 /profile 查看或修改。\n"
        "2. /services 浏览服务清单：知识产权、质量、标准化、认证及跨部门协调。\n"
        "3. /new 提交服务需求，/requests 查看进度并与服务专员沟通。\n"
        "4. /book 预约服务站窗口接待，/bookings 查看或改期。\n"
        "5. /language 切换语言，/cancel 随时退出当前操作。"
    ),
    "unknown_command": "没有这个命令。可以试试 /help 查看能做什么。",
    "stray_text": "我没太明白。请用 /services 浏览服务，或 /help 查看全部功能。",
    "stray_text_unregistered": "您好！请先发送 /start 登记企业，或用 /services 浏览服务清单。",
    "cancelled": "已退出当前操作，已填写的内容不会保存。",
    "nothing_to_cancel": "当前没有进行中的操作。",
    "internal_error": "抱歉，处理时出了问题，本次操作未生效。请稍后重试。",
    "stale_button": "这个按钮已失效，请重新打开菜单。",
    "not_allowed": "抱歉，您没有执行此操作的权限。",
    "group_private_only": "请在与机器人的私聊中使用这个命令。",
    "expect_text": "这里需要输入文字，请重新输入。",
    "expect_button": "请点击上方的按钮进行选择。",
    "too_long": "内容太长了（最多 {limit} 个字符，您输入了 {length} 个），请精简后重新发送。",
    "language_pick": "请选择语言 / Choose your language:",
    "language_set": "已切换为简体中文。",
    "main_menu": "请选择需要的服务：",
    "btn_services": "📋 服务清单",
    "btn_profile": "🏢 企业信息",
    "btn_new_request": "📝 提交需求",
    "btn_requests": "📂 我的需求",
    "btn_book": "📅 预约窗口",
    "btn_bookings": "🗓 我的预约",
    "btn_help": "❓ 帮助",
    "btn_back": "« 返回",
    "btn_cancel": "取消",
    "btn_confirm": "✅ 确认",
    "btn_edit": "✏️ 修改",
    "btn_yes": "是",
    "btn_no": "否",
    "need_registration": "请先发送 /start 登记企业后再使用此功能。",
    "flow_ended_service_gone": "您正在办理的服务已从服务清单中移除，本次操作已结束。请用 /services 重新选择。",
    # --- onboarding ---
    "welcome": (
        "您好，{name}！这里是宝山区市场监管局<b>企业服务直通站</b>。\n"
        "登记企业后即可在线提交需求、预约窗口、与服务专员沟通。"
    ),
    "welcome_back": "欢迎回来，{name}！您已登记为 <b>{company}</b> 的联系人。",
    "ask_company_name": "第 1 步（共 5 步）：请输入<b>企业全称</b>（与营业执照一致）。",
    "bad_company_name": "企业名称需为 2–{limit} 个字符，请重新输入。",
    "ask_credit_code": "第 2 步：请输入 18 位<b>统一社会信用代码</b>。",
    "bad_credit_code_length": "统一社会信用代码应为 18 位（您输入了 {length} 位），请检查后重新输入。",
    "bad_credit_code_charset": "统一社会信用代码只包含数字和大写字母（不含 I、O、Z、S、V），请检查后重新输入。",
    "bad_credit_code_division": "统一社会信用代码第 3–8 位应为行政区划代码（数字），请检查后重新输入。",
    "bad_credit_code_check": "统一社会信用代码校验位不正确（最后一位应为 {expected}），请核对营业执照后重新输入。",
    "company_exists": (
        "信用代码 {code} 已登记为 <b>{company}</b>。\n是否以该企业联系人身份加入？"
    ),
    "company_exists_other_name": "（您填写的名称是“{typed}”，将使用已登记的名称。）",
    "joined_company": "已加入 <b>{company}</b>。您可以看到并跟进该企业的全部需求。",
    "ask_contact_name": "第 3 步：请输入<b>联系人姓名</b>。",
    "bad_contact_name": "联系人姓名需为 1–{limit} 个字符，请重新输入。",
    "ask_phone": "第 4 步：请输入<b>联系电话</b>（手机或座机，如 021-12345678），或点击下方按钮分享您的 Telegram 号码。",
    "btn_share_contact": "📱 分享我的号码",
    "bad_phone": "电话格式不正确：请输入 11 位手机号（如 13800138000）或带区号的座机（如 021-66661234）。",
    "contact_not_own": "请分享您本人的联系方式，或直接输入电话号码。",
    "ask_station": "第 5 步：请选择企业所在的<b>园区服务站</b>：",
    "profile_summary": (
        "<b>请确认企业信息</b>\n"
        "企业名称：{name}\n"
        "信用代码：{code}\n"
        "联系人：{contact}\n"
        "电话：{phone}\n"
        "所属服务站：{station}"
    ),
    "registered": "登记完成！<b>{company}</b> 已与您的账号关联。发送 /services 浏览服务，或 /help 查看全部功能。",
    "registration_cancelled": "已取消登记。随时发送 /start 重新开始。",
    "edit_which": "请选择要修改的项目：",
    "field_name": "企业名称",
    "field_contact": "联系人",
    "field_phone": "电话",
    "field_station": "服务站",
    "profile_view": (
        "<b>{name}</b>\n"
        "信用代码：{code}\n"
        "联系人：{contact}\n"
        "电话：{phone}\n"
        "所属服务站：{station}\n"
        "企业分级：{tier}\n"
        "同企业账号：{members} 个"
    ),
    "profile_updated": "企业信息已更新。",
    "profile_none": "您还没有登记企业。发送 /start 开始登记。",
    "resume_hint": "我们从上次中断的地方继续：",
    "station_preselected": "已为您预选服务站：{station}。",
    # --- catalogue ---
    "categories_title": "<b>服务清单</b>\n请选择服务领域：",
    "category_title": "<b>{name}</b>\n{description}\n请选择具体服务：",
    "category_empty": "<b>{name}</b>\n该领域暂无服务。",
    "service_card": (
        "<b>{name}</b>\n"
        "{description}\n\n"
        "<b>需准备材料：</b>\n{bring}\n"
        "<b>办理方式：</b>{delivery}\n"
        "<b>首次响应承诺：</b>{response} 个工作小时内\n"
        "<b>提供服务的服务站：</b>{stations}"
    ),
    "delivery_request": "线上提交需求",
    "delivery_visit": "窗口现场办理",
    "delivery_both": "线上提交需求或窗口现场办理",
    "bring_none": "无特别要求",
    "btn_need_this": "📝 我要办理",
    "btn_book_visit": "📅 预约窗口",
    "service_gone": "该服务已不在服务清单中。",
    "station_card": "<b>{name}</b>\n地址：{address}\n\n该服务站提供以下服务领域：",
    # --- admin ---
    "reload_ok": "服务清单已更新：{summary}",
    "reload_unchanged": "服务清单已重新加载，内容没有变化：{summary}",
    "reload_failed": "服务清单有误，<b>仍在使用原清单</b>。请修改后重试：\n{errors}",
    "reload_changes": "变更：\n{changes}",
    "diff_station_added": "新增服务站：{name}（{id}）",
    "diff_station_removed": "移除服务站：{name}（{id}）",
    "diff_station_renamed": "服务站更名：{old} → {new}（{id}）",
    "diff_service_added": "新增服务：{name}（{id}）",
    "diff_service_removed": "移除服务：{name}（{id}）",
    "diff_service_renamed": "服务更名：{old} → {new}（{id}）",
    "diff_closure_added": "新增闭站日：{date}（{stations}）{reason}",
    "diff_closure_removed": "取消闭站日：{date}（{stations}）",
    "diff_all_stations": "全部服务站",
    "diff_other": "窗口、表单或文字有更新",
    "diff_none": "站点和服务没有变化",
    "reload_watch_ok": "检测到 catalogue.yaml 变更，已自动更新：{summary}",
    "reload_watch_failed": "检测到 catalogue.yaml 变更，但文件有误，仍在使用原清单：\n{errors}",
    # --- requests ---
    # --- staff ---
    # --- booking ---
    "wd_0": "周一",
    "wd_1": "周二",
    "wd_2": "周三",
    "wd_3": "周四",
    "wd_4": "周五",
    "wd_5": "周六",
    "wd_6": "周日",
    "bk_ask_station": "<b>预约窗口接待</b>\n请选择服务站（⭐ 为贵企业所属服务站）：",
    "bk_no_station": "目前没有可预约窗口的服务站。",
    "bk_ask_day": "<b>{station}</b>\n请选择日期（时间均为服务站当地时间：{zone}）：",
    "bk_day_free": " · 余{seats}",
    "bk_day_full": " · 已满",
    "bk_no_days": "<b>{station}</b> 近期没有可预约的日期（节假日或已超出可预约范围）。请返回选择其他服务站。",
    "bk_ask_slot": "<b>{station}</b> {day}\n请选择时段（{zone}）。已满的时段可登记候补，有空位时通知您：",
    "bk_seats_left": "余 {seats} 位",
    "bk_slot_full_wait": "已满 · 🔔 候补",
    "bk_day_gone": "这一天已没有可预约的时段，请返回选择其他日期。",
    "bk_ask_topic": "请选择本次咨询的事项：",
    "bk_topic_other": "其他事项",
    "bk_ask_note": "如需说明具体问题，请直接输入（最多 {limit} 字），方便服务专员提前准备；不需要请点“跳过”。",
    "bk_btn_no_note": "跳过",
    "bk_summary": (
        "<b>请确认预约</b>\n"
        "服务站：{station}\n"
        "地址：{address}\n"
        "时间：{when}\n"
        "事项：{topic}\n"
        "备注：{note}"
    ),
    "bk_reschedule_head": "<b>改期</b>：确认后原预约将被取消，新时段同时生效。",
    "bk_flow_cancelled": "已退出预约，未做任何更改。",
    "bk_wait_joined": "已登记候补。有空位时会第一时间通知您，名额为您保留一段时间。",
    "bk_wait_already": "您已在这个时段的候补名单中。",
    "bk_confirmed": "✅ <b>预约成功</b>，请按时到场。附件为日历文件，可添加到手机日历。",
    "bk_pending": "⏳ <b>预约已提交，待服务专员确认</b>。由于近期有未到场记录，本次预约需人工确认，确认结果会通知您。",
    "bk_rescheduled": "🔁 已改期，原预约已取消。",
    "bk_details": (
        "预约编号：<b>{ref}</b>\n"
        "服务站：{station}\n"
        "地址：{address}\n"
        "时间：{when}\n"
        "事项：{topic}\n"
        "备注：{note}\n"
        "状态：{status}"
    ),
    "bk_line_gone": "预约 {ref}（该服务站已不在服务清单中）",
    "bk_status_offered": "候补名额保留中，待您确认",
    "bk_status_pending_approval": "待服务专员确认",
    "bk_status_confirmed": "已确认",
    "bk_status_arrived": "已到场",
    "bk_status_no_show": "未到场",
    "bk_status_cancelled": "已取消",
    "bk_status_declined": "未通过 / 已放弃",
    "bk_status_expired": "保留已过期",
    "bk_ics_summary": "窗口接待：{station}",
    "bk_ics_description": "预约编号 {ref}；事项：{topic}",
    "bk_just_taken": "抱歉，这个时段的最后一个名额刚刚被预约了。以下是离您所选时间最近的空闲时段：",
    "bk_just_taken_none": "抱歉，这个时段刚刚约满了，近期也没有其他空闲时段。您可以返回登记候补。",
    "bk_btn_other_days": "« 其他日期",
    "bk_already_yours": "您已预约了这个时段，无需重复预约。",
    "bk_duplicate": "您已预约了这个时段，无需重复预约。",
    "bk_gone": "这条预约已不存在或已取消。",
    "bk_cutoff": "距开始已不足规定时间，无法在线取消或改期，请直接联系服务站。",
    "bk_cutoff_passed": "距开始已不足规定时间，无法在线取消或改期，请直接联系服务站。",
    "bk_same": "新时段与原预约相同，未做更改。",
    "bk_expired": "抱歉，为您保留的名额已过期。",
    "bk_rebooked": "这次闭站后的改约已经完成，无需重复。发送 /bookings 可查看。",
    "bk_station_gone": "该服务站已不在服务清单中，本次预约已结束。",
    "bk_problem_no_station": "该服务站不存在。",
    "bk_problem_closed": "该服务站当天闭站，请选择其他日期。",
    "bk_problem_no_slot": "没有这个时段，请重新选择。",
    "bk_problem_service": "这个时段不接待该事项，请选择其他时段。",
    "bk_problem_past": "这个时段已经过去了。",
    "bk_problem_too_soon": "距开始时间太近，已不能在线预约，请选择更晚的时段。",
    "bk_problem_too_far": "这个日期超出了可预约的范围。",
    "bk_problem_limit": "每家企业最多同时持有 {limit} 个未到期的预约。请先完成或取消已有预约（/bookings）。",
    "bk_problem_taken": "抱歉，这个时段刚刚约满了，请选择其他时段。",
    "bk_list_upcoming": "<b>即将到来的预约</b>",
    "bk_list_none": "目前没有即将到来的预约。发送 /book 预约窗口。",
    "bk_list_past": "<b>以往记录</b>",
    "bk_past_line": "{ref} · {when} · {status}",
    "bk_btn_cancel": "✖ 取消",
    "bk_btn_reschedule": "🔁 改期",
    "bk_btn_cancel_yes": "确认取消",
    "bk_cancel_sure": "确定要取消这个预约吗？",
    "bk_cancelled": "预约 {ref} 已取消。附件可从日历中移除该事项。",
    "bk_offer": (
        "🔔 您候补的时段有空位了！\n{station}\n{when}\n"
        "名额为您保留 {minutes} 分钟，请点击“接受”确认。"
    ),
    "bk_btn_accept": "✅ 接受",
    "bk_btn_pass": "不需要了",
    "bk_passed": "好的，已将名额让给下一位候补企业。",
    "bk_pass_kept": "这个名额您已经接受，预约仍然有效。如需取消请发送 /bookings。",
    "bk_offer_expired": "为您保留的候补名额已过期，已让给下一位候补企业。",
    "bk_remind_day": "⏰ <b>明天的预约提醒</b>\n\n{details}",
    "bk_remind_today": "⏰ <b>今天的预约提醒</b>\n\n{details}",
    "bk_remind_hour": "⏰ <b>您的预约将在 1 小时后开始</b>\n\n{details}",
    "bk_closed_notice": "⚠️ 很抱歉，服务站当天闭站（{reason}），您的预约已取消：\n\n{details}",
    "bk_closed_alts": "点击下方时段即可一键改约（事项和备注保持不变）：",
    "bk_closed_no_alts": "近期暂无空闲时段，请稍后发送 /book 重新预约。",
    "bk_displaced_admin": "闭站调整：已取消 {count} 个预约并通知相关企业：",
    "bk_displaced_line": "• {ref} {company} · {when}",
    # --- roster ---
    "ro_title": "<b>今日窗口接待 · {station}</b>\n{day}（{zone}）",
    "ro_week_title": "<b>本周窗口接待 · {station}</b>（{zone}）",
    "ro_empty": "暂无预约。",
    "ro_line": "{time} {company} · {topic}{note} · {status}",
    "ro_day_head": "<b>{day}</b>",
    "ro_btn_arrived": "✅ {time} 到场",
    "ro_btn_no_show": "❌ 未到",
    "ro_marked": "已记录：{ref} {status}",
    "ro_not_today": "到场只能在预约当天记录，未到场只能在开始时间之后记录。",
    "ro_unknown_station": "没有这个服务站。可用：{stations}",
    "ro_staff_only": "此命令仅限工作群成员使用。",
    "ro_approval_card": "<b>需要确认的预约</b>（该企业 90 天内两次未到场）\n企业：{company}\n\n{details}",
    "ro_btn_approve": "✅ 同意",
    "ro_btn_decline": "✖ 拒绝",
    "ro_approved": "✅ 您的预约已由服务专员确认：\n\n{details}",
    "ro_declined": "很抱歉，您的预约未获确认，名额已释放。如有疑问请联系服务站。\n\n{details}",
    "ro_decided": "已处理：{ref} {status}（{officer}）",
    "ro_no_show_warning": "您的企业在 90 天内已有 {count} 次预约未到场。今后的预约需服务专员确认后才生效。",
}
