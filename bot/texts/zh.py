"""简体中文：所有面向用户的文字。Keys are shared with ``en.py``."""

ZH: dict[str, str] = {
    # --- common ---
    "help": (
        "<b>前门 Frontdoor · 企业服务直通站</b>\n"
        "1. /start 登记企业（统一社会信用代码），之后随时 /profile 查看或修改。\n"
        "2. /services 浏览服务清单：知识产权、质量、标准化、认证及跨部门协调。\n"
        "3. /new 提交服务需求，/requests 查看进度并与服务专员沟通。\n"
        "4. /book 预约服务站窗口接待，/bookings 查看或改期。\n"
        "5. /language 切换语言，/cancel 随时退出当前操作。\n"
        "6. /members 查看本企业成员，/leave 退出企业，/forget 注销个人信息。"
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
    "join_requested": "已向 <b>{company}</b> 的现有联系人发送加入申请，对方同意后您会收到通知。",
    "join_ask": "{who} 申请以联系人身份加入 <b>{company}</b>，加入后可查看并跟进本企业的全部需求。是否同意？",
    "join_ask_staff": "{who} 申请加入 <b>{company}</b>（{code}），该企业暂无联系人，请专员核实后决定。",
    "btn_join_approve": "✅ 同意",
    "btn_join_decline": "✖️ 拒绝",
    "join_declined": "您加入 <b>{company}</b> 的申请未获同意。如有疑问，请联系企业或服务站。",
    "join_cooldown": "您加入 <b>{company}</b> 的申请刚被拒绝。为免打扰对方，24 小时内不能再次申请；如有疑问，请直接联系企业或服务站。",
    "join_already_decided": "该申请已经处理过了。",
    "join_approved_by": "已同意 {who} 加入（{by}）。",
    "join_declined_by": "已拒绝 {who} 的加入申请（{by}）。",
    "joined_company": "已加入 <b>{company}</b>。您可以看到并跟进该企业的全部需求，发送 /start 打开菜单。",
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
    "tier_standard": "一般企业",
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
    "rq_status_submitted": "待受理",
    "rq_status_claimed": "处理中",
    "rq_status_waiting": "待您回复",
    "rq_status_resolved": "已办结",
    "rq_status_closed": "已关闭",
    "rq_status_withdrawn": "已撤回",
    "rq_pick_category": "<b>提交需求</b>\n请选择服务领域：",
    "rq_pick_service": "请选择服务项目：",
    "rq_intake_intro": "办理：<b>{service}</b>\n请回答几个问题，随时可按“取消”。",
    "rq_question": "{prompt}{optional}\n<i>{hint}</i>",
    "rq_optional": "（选填）",
    "rq_hint_text": "请直接输入文字。",
    "rq_hint_number": "请输入数字，例如 3 或 12.5。",
    "rq_hint_choice": "请点击下方按钮选择。",
    "rq_hint_date": "请输入日期，例如 2026-12-03、2026/12/3 或 12月3日。",
    "rq_choose_button": "请点击上方按钮选择。",
    "rq_bad_number": "这不是有效的数字，请输入例如 3 或 12.5。",
    "rq_bad_date": "无法识别这个日期，请按 2026-12-03、2026/12/3 或 12月3日 的格式输入。",
    "rq_date_past": "日期不能早于今天（{today}），请重新输入。",
    "rq_ask_description": "请<b>描述您的需求</b>（不超过 {limit} 字）：遇到了什么问题、希望得到什么帮助。",
    "rq_ask_files": "如有材料，请发送文件或照片（最多 {count} 个，每个不超过 20 MB）。发送完毕或没有材料，请点“完成”。",
    "btn_files_done": "✅ 完成",
    "rq_files_expect": "请发送文件或照片；没有更多材料请点“完成”。",
    "rq_file_received": "已收到第 {count} 个附件。可继续发送，或点“完成”。",
    "rq_files_full": "最多 {count} 个附件，已满。请点“完成”。",
    "rq_file_document": "文件",
    "rq_file_photo": "照片",
    "file_too_big": "文件太大：机器人只能接收不超过 {limit_mb} MB 的文件。请压缩或拆分后再发。",
    "file_type_refused": "出于安全考虑，不接收此类文件（{ext}）。请发送 PDF、Office 或 WPS 文档、图片或压缩包，且文件内容须与扩展名一致。",
    "file_unread": "暂时无法读取这个文件，未予接收。请稍后重新发送。",
    "rq_summary": (
        "<b>请确认您的需求</b>\n"
        "服务：{service}\n"
        "{answers}\n"
        "描述：{description}\n"
        "附件：{files}"
    ),
    "rq_field_description": "需求描述",
    "rq_field_files": "附件（重新上传）",
    "rq_cancelled": "已取消，未提交任何内容。",
    "rq_submitted": (
        "✅ 已提交，编号 <b>{reference}</b>（{station}）。\n"
        "我们承诺在 {hours} 个工作小时内首次响应，最迟 {due}（{zone}）。\n"
        "专员的回复会发到这里；直接回复专员的消息即可补充信息。/requests 可查看进度。"
    ),
    "rq_list_title": "<b>{company} 的需求</b>（最新在前）",
    "rq_list_empty": "您的企业还没有提交过需求。发送 /new 提交一个。",
    "rq_list_line": "<b>{reference}</b> · {service}\n状态：{status} · 专员：{owner} · {when}",
    "btn_open_request": "查看 {reference}",
    "rq_detail": (
        "<b>{reference}</b> · {service}\n"
        "状态：{status}\n"
        "专员：{owner}\n"
        "服务站：{station}{visits}\n"
        "提交：{submitted}（{zone}），首次响应最迟 {due}\n"
        "{answers}\n"
        "描述：{description}\n\n"
        "<b>最近消息</b>\n{thread}"
    ),
    "rq_thread_line": "{when} {who}：{text}",
    "btn_add_info": "➕ 补充信息",
    "btn_withdraw": "↩️ 撤回",
    "btn_withdraw_yes": "确认撤回",
    "rq_withdraw_sure": "确定撤回需求 {reference} 吗？",
    "rq_withdraw_too_late": "⚠️ 专员已受理，不能再撤回；如不再需要，请直接告诉专员。",
    "rq_withdrawn": "需求 {reference} 已撤回。",
    "rq_add_prompt": "请发送要补充到 {reference} 的文字、文件或照片：",
    "rq_add_expect": "请发送文字、文件或照片，或点“取消”。",
    "rq_which_request": "您有多个未完成的需求，这条消息是关于哪一个的？",
    "btn_pick_request": "{reference} · {service}",
    "rq_message_not_sent": "好的，这条消息没有发送。",
    "rq_message_sent": "✓ 已转给专员 {owner}（{reference}）。",
    "rq_message_queued": "✓ 已附加到 {reference}，专员受理时会看到。",
    "rq_closed_no_messages": "该需求已结束，不能再补充信息。如有新问题，请发送 /new。",
    "rq_claimed_enterprise": "您的需求 <b>{reference}</b> 已由专员 {owner} 受理，回复会发到这里。",
    "rq_transferred_enterprise": "您的需求 <b>{reference}</b> 已转至 {station}，将由该站专员跟进。",
    "from_officer": "💬 <b>{reference}</b> · 专员 {owner}：",
    "rq_resolved_enterprise": (
        "专员 {owner} 已将需求 <b>{reference}</b> 标记为<b>已办结</b>。\n"
        "请为本次服务评价（7 天内未评价将自动关闭）；问题没有解决请点“未解决”。"
    ),
    "rating_5": "★★★★★ 非常满意",
    "rating_4": "★★★★ 满意",
    "rating_3": "★★★ 一般",
    "rating_2": "★★ 不满意",
    "rating_1": "★ 非常不满意",
    "btn_not_solved": "❗ 未解决",
    "rq_rated": "感谢评价：{reference} {stars}",
    "rq_rating_not_open": "该需求已评价或已关闭。",
    "rq_comment_ask": "还有什么想说的吗？（可直接输入，或点“跳过”）",
    "rq_comment_low": "很抱歉没有让您满意。请告诉我们哪里做得不好，我们会改进：",
    "rq_comment_thanks": "已收到您的意见，谢谢！",
    "rq_comment_skipped": "好的，谢谢！",
    "btn_skip": "跳过",
    "rq_reopened": "需求 {reference} 已重新打开，专员 {owner} 会继续跟进。",
    "rq_reopen_not_possible": "该需求已关闭，不能再重新打开（办结后 7 天内可以）。如有新问题请发送 /new。",
    "event_file": "[附件]",
    # --- staff ---
    "card": (
        "📋 <b>{reference}</b> · {service}\n"
        "企业：<b>{company}</b>（{code}，{tier}）\n"
        "联系人：{contact} {phone}\n"
        "服务站：{station}{visits}\n"
        "提交：{submitted}（{zone}），已等待 {age}\n"
        "首次响应期限：{due}\n"
        "{answers}\n"
        "描述：{description}\n"
        "附件：{files} 个\n"
        "{state}"
    ),
    "card_no_answers": "（无补充问题）",
    "card_state_unclaimed": "🟡 待认领",
    "card_state_owner": "🟢 {status} · 负责专员：{owner}",
    "card_state_other": "⚪ {status}（专员：{owner}）",
    "card_file": "📎 {reference} 的附件",
    "btn_claim": "✋ 认领",
    "btn_claim_ref": "✋ 认领 {reference}",
    "btn_unclaim": "↩️ 释放",
    "btn_transfer": "➡️ 转交",
    "btn_resolve": "✅ 办结",
    "btn_note": "📝 备注",
    "claim_won": "您已认领 {reference}。回复卡片即可与企业沟通。",
    "claim_lost": "已被 {owner} 认领。",
    "claim_yours_already": "这个需求已经是您在处理。",
    "claim_not_open": "该需求当前状态为“{status}”，无法认领。",
    "claimed_group": "{owner} 已认领 {reference}。回复本需求的消息即可发给企业；以 ! 开头为内部备注。",
    "claimed_earlier": "认领前企业发来 {count} 条消息：",
    "staff_claim_first": "请先认领该需求。",
    "staff_request_not_open": "该需求当前状态为“{status}”，不能再操作。",
    "staff_not_owner": "该需求由 {owner} 负责，只有负责专员或管理员可以回复或操作。",
    "relay_failed": "您关于 {reference} 的消息未能送达服务专员，请稍后重发，或拨打服务站电话。",
    "relay_failed_staff": "给 {who} 的 {reference} 回复未能送达，请稍后重发或电话联系企业。",
    "card_description_cut": "…（描述较长，全文见下条）",
    "card_description_more": "{reference} 需求描述全文：\n{description}",
    "edit_from_enterprise": "✏️ <b>{reference}</b> · {who} 修改了刚才的消息，现为：",
    "edit_from_officer": "✏️ <b>{reference}</b> · 专员 {owner} 修改了刚才的回复，现为：",
    "leave_none": "您还没有加入任何企业。",
    "leave_sure": "确定退出 <b>{company}</b> 吗？退出后将不能查看和跟进本企业的需求与预约。",
    "btn_leave_yes": "确认退出",
    "btn_keep": "暂不",
    "leave_done": "您已退出 <b>{company}</b>。如需重新加入，请发送 /start。",
    "forget_sure": "注销后，您的姓名、电话和 Telegram 身份将从本系统删除；企业的办理记录保留，但不再显示您的姓名。此操作无法撤销。确定注销吗？",
    "btn_forget_yes": "确认注销",
    "forget_done": "已注销，您的个人信息已删除。如需再次使用，请发送 /start 重新登记。",
    "privacy_kept": "好的，未做任何更改。",
    "members_title": "<b>{company}</b> 的成员：",
    "members_line": "• {name}",
    "btn_remove_member": "移除 {name}",
    "member_removed": "已将 {name} 移出本企业。",
    "member_removed_you": "您已被 <b>{company}</b> 的联系人移出企业。如有疑问，请联系企业。",
    "audit_title": "最近的个人信息操作记录：",
    "audit_empty": "暂无个人信息操作记录。",
    "audit_line": "• {when} {action}（操作人：{who}）{detail}",
    "audit_action_leave": "退出企业",
    "audit_action_remove": "移除成员",
    "audit_action_forget": "注销个人信息",
    "audit_action_purge": "到期清理",
    "relay_more_kept": "（该企业一分钟内消息较多，后续消息已记录在需求中，请用 /history {reference} 查看。）",
    "rq_message_burst": "✓ 已转给专员。您的消息较多，之后一分钟内的消息会记录在需求 {reference} 中，专员会一并查看，无需重复发送。",
    "staff_group_moved": "工作群已升级为超级群组。以下重新发送 {count} 件未办结需求的卡片，请在此继续办理。",
    "staff_only_in_group": "为保护企业信息，此操作只能在工作群内进行。",
    "staff_act_as_yourself": "您正以匿名管理员身份发言，无法确认是谁。请关闭“匿名”后以本人身份操作。",
    "unclaim_done": "已释放，需求回到待认领队列。",
    "unclaimed_group": "{who} 释放了 {reference}，等待其他专员认领。",
    "resolve_done": "{reference} 已办结，已请企业评价。",
    "note_prompt": "📝 {who}：请<b>回复本消息</b>写下 {reference} 的内部备注（不会发给企业）。",
    "note_prompt_sent": "请回复群里的提示消息写备注。",
    "note_saved": "📝 已记为 {reference} 的内部备注（未发给企业）。",
    "transfer_pick": "<b>转交给：</b>",
    "transfer_to_station": "➡️ {station}",
    "transfer_to_officer": "👤 {name}",
    "transfer_done": "已转交。",
    "transferred_away": "➡️ 已由 {who} 转至 {station}。",
    "transferred_here": "⬅️ {reference} 由 {who} 从 {station} 转来，请认领。",
    "reassigned_group": "{who} 将 {reference} 转交给 {owner}。",
    "from_enterprise": "💬 <b>{reference}</b> · {company}（{who}）：",
    "relay_nobody": "企业的联系人都已屏蔽机器人，{reference} 的消息无法送达。请电话联系。",
    "rated_group": "{reference} 企业评价：{stars}（{verdict}）— {who}",
    "verdict_good": "好评",
    "verdict_fair": "中评",
    "verdict_bad": "差评",
    "comment_group": "{reference} 企业意见（{who}）：{comment}",
    "reopened_group": "❗ {who} 表示 {reference} 未解决，已重新打开。{owner} 请继续跟进。",
    "reannounce": "⏰ {reference}（{service}）已超过 {hours} 个工作小时无人认领，请尽快认领。",
    "escalate": "🚨 {reference} 已超过 {hours} 个工作小时无人认领。{admins} 请协调。",
    "queue_title": "<b>待认领</b>（{count} 件，最早的在前）",
    "queue_empty": "没有待认领的需求。",
    "mine_title": "<b>我负责的需求</b>（{count} 件）",
    "mine_empty": "您目前没有负责的需求。",
    "find_title": "<b>查找结果</b>（{count} 件）",
    "find_none": "没有找到。",
    "find_usage": "用法：/find 编号、统一社会信用代码或企业名称",
    "history_usage": "用法：/history 编号，例如 /history BS-2611-0042",
    "staff_list_line": "<b>{reference}</b> · {company} · {service}\n  {status} · {owner} · 已 {age}",
    "history_head": "<b>{reference}</b> · {company} · {service} · {status}\n时间均为 {zone}",
    "history_submitted": "{when} 提交：{description}",
    "history_message": "{when} 💬 {side} {who}：{text}",
    "history_attachment": "{when} 📎 {side} {who}：{text}",
    "history_note": "{when} 📝 备注 {who}：{text}",
    "history_status": "{when} ⚙️ {who}：{text}",
    "history_rating": "评价：{rating} 星；意见：{comment}",
    "side_enterprise": "企业",
    "side_staff": "专员",
    "side_system": "系统",
    "age_days": "{days} 天 {hours} 小时",
    "age_hours": "{hours} 小时 {minutes} 分",
    "age_minutes": "{minutes} 分钟",
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
    # --- requests and visits ---
    "rq_visit_not_open": "需求 {reference} 已结束，不能再为它预约窗口。",
    "rq_visit_line": "📅 窗口预约 {ref}：{when} · {station} · {status}",
    "history_visit": "{when} 📅 {who}：{text}",
    "visit_event_booked": "预约窗口 {ref}：{when} · {station}",
    "visit_event_rescheduled": "窗口预约 {old_ref} 改期为 {ref}：{when} · {station}",
    "visit_event_cancelled": "窗口预约 {ref} 已取消：{when} · {station}",
    "visit_event_closed": "窗口预约 {ref} 因闭站取消：{when} · {station}",
    "visit_event_declined": "窗口预约 {ref} 未获专员确认：{when} · {station}",
    "bk_topic_request": "📋 {reference} · {service}",
    "bk_topic_about": "{topic}（需求 {reference}）",
    "bk_request": "该需求已结束或不属于您的企业，本次未预约。可发送 /book 重新预约并选择其他事项。",
    "ro_request": "　📋 {reference} · {status}",
    "ro_request_this": "　📋 {reference} · {status} ← 本次预约事项",
    "ro_requests_more": "　…另有 {count} 个未结需求",
}
