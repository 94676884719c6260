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
    "diff_station_renamed": "服务站改名：{id} {old} → {new}",
    "diff_service_added": "新增服务：{name}（{id}）",
    "diff_service_removed": "移除服务：{name}（{id}）",
    "diff_service_renamed": "服务改名：{id} {old} → {new}",
    "reload_watch_ok": "检测到 catalogue.yaml 变更，已自动更新：{summary}",
    "reload_watch_failed": "检测到 catalogue.yaml 变更，但文件有误，仍在使用原清单：\n{errors}",
    # --- requests ---
    # --- staff ---
    # --- booking ---
    # --- roster ---
}
