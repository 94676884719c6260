"""English: every user-visible string. Keys are shared with ``zh.py``."""

EN: dict[str, str] = {
    # --- common ---
    "help": (
        "<b>Frontdoor · enterprise service stations</b>\n"
        "1. /start registers your company (Unified Social Credit Code); /profile shows or edits it.\n"
        "2. /services walks the service list: IP, quality, standards, certification, coordination.\n"
        "3. /new submits a request; /requests follows it and talks to the officer.\n"
        "4. /book books a visit to a station's reception window; /bookings shows or moves it.\n"
        "5. /language switches language; /cancel leaves whatever you are doing.\n"
        "6. /members lists your colleagues, /leave leaves the company, /forget deletes your personal data."
    ),
    "unknown_command": "There is no such command. Try /help to see what I can do.",
    "stray_text": "I did not quite get that. Use /services to browse, or /help for everything I do.",
    "stray_text_unregistered": "Hello! Send /start to register your company, or /services to browse.",
    "cancelled": "Done — nothing you had typed was kept.",
    "nothing_to_cancel": "Nothing is in progress.",
    "internal_error": "Sorry, something went wrong and nothing was changed. Please try again shortly.",
    "stale_button": "This button is no longer valid; please open the menu again.",
    "not_allowed": "Sorry, you are not allowed to do that.",
    "group_private_only": "Please use this command in a private chat with me.",
    "expect_text": "Please type your answer as text.",
    "expect_button": "Please choose with the buttons above.",
    "too_long": "That is too long ({length} characters; at most {limit}). Please shorten it.",
    "language_pick": "请选择语言 / Choose your language:",
    "language_set": "Language set to English.",
    "main_menu": "What do you need?",
    "btn_services": "📋 Services",
    "btn_profile": "🏢 Company",
    "btn_new_request": "📝 New request",
    "btn_requests": "📂 My requests",
    "btn_book": "📅 Book a visit",
    "btn_bookings": "🗓 My bookings",
    "btn_help": "❓ Help",
    "btn_back": "« Back",
    "btn_cancel": "Cancel",
    "btn_confirm": "✅ Confirm",
    "btn_edit": "✏️ Edit",
    "btn_yes": "Yes",
    "btn_no": "No",
    "need_registration": "Please register your company with /start first.",
    "flow_ended_service_gone": "The service you were applying for has been removed from the list, so this has ended. Please choose again with /services.",
    # --- onboarding ---
    "welcome": (
        "Hello, {name}! This is the Baoshan market regulation bureau's "
        "<b>enterprise service stations</b>.\n"
        "Register your company to submit requests, book window visits and talk to officers."
    ),
    "welcome_back": "Welcome back, {name}! You are a contact of <b>{company}</b>.",
    "ask_company_name": "Step 1 of 5: the company's <b>full registered name</b>.",
    "bad_company_name": "The company name must be 2–{limit} characters. Please try again.",
    "ask_credit_code": "Step 2: the 18-character <b>Unified Social Credit Code</b>.",
    "bad_credit_code_length": "The code has 18 characters (you typed {length}). Please check and try again.",
    "bad_credit_code_charset": "The code uses digits and capital letters only (no I, O, Z, S, V). Please try again.",
    "bad_credit_code_division": "Characters 3–8 of the code are an administrative division code (digits). Please try again.",
    "bad_credit_code_check": "The check character is wrong (the last one should be {expected}). Please compare with the business licence.",
    "company_exists": "Code {code} is already registered as <b>{company}</b>.\nJoin it as one of its contacts?",
    "join_requested": "Your request to join <b>{company}</b> was sent to its registered contacts; you will hear when they agree.",
    "join_ask": "{who} asks to join <b>{company}</b> as a contact, which lets them see and follow all its requests. Agree?",
    "join_ask_staff": "{who} asks to join <b>{company}</b> ({code}), which has no contact left; please check and decide.",
    "btn_join_approve": "✅ Agree",
    "btn_join_decline": "✖️ Decline",
    "join_declined": "Your request to join <b>{company}</b> was declined. Please contact the company or the station if in doubt.",
    "join_cooldown": "Your request to join <b>{company}</b> was just declined. So as not to disturb them, you can ask again after 24 hours; if in doubt, contact the company or the station.",
    "join_already_decided": "This request was settled already.",
    "join_approved_by": "{who} may join now ({by}).",
    "join_declined_by": "{who} was not let in ({by}).",
    "joined_company": "You are now a contact of <b>{company}</b> and can follow all its requests; send /start for the menu.",
    "ask_contact_name": "Step 3: the <b>contact person's name</b>.",
    "bad_contact_name": "The contact name must be 1–{limit} characters. Please try again.",
    "ask_phone": "Step 4: a <b>phone number</b> (mobile, or landline such as 021-12345678), or share your Telegram number with the button below.",
    "btn_share_contact": "📱 Share my number",
    "bad_phone": "That phone number does not look right: an 11-digit mobile (13800138000) or a landline with area code (021-66661234).",
    "contact_not_own": "Please share your own contact, or type the number.",
    "ask_station": "Step 5: which <b>park station</b> does the company belong to?",
    "profile_summary": (
        "<b>Please confirm</b>\n"
        "Company: {name}\n"
        "Credit code: {code}\n"
        "Contact: {contact}\n"
        "Phone: {phone}\n"
        "Station: {station}"
    ),
    "registered": "Registered! <b>{company}</b> is linked to your account. Send /services to browse or /help for more.",
    "registration_cancelled": "Registration cancelled. Send /start whenever you are ready.",
    "edit_which": "What would you like to change?",
    "field_name": "Company name",
    "field_contact": "Contact",
    "field_phone": "Phone",
    "field_station": "Station",
    "profile_view": (
        "<b>{name}</b>\n"
        "Credit code: {code}\n"
        "Contact: {contact}\n"
        "Phone: {phone}\n"
        "Station: {station}\n"
        "Tier: {tier}\n"
        "Accounts for this company: {members}"
    ),
    "tier_standard": "standard",
    "profile_updated": "Company details updated.",
    "profile_none": "You have not registered a company yet. Send /start to begin.",
    "resume_hint": "Let's continue where we left off:",
    "station_preselected": "Station preselected: {station}.",
    # --- catalogue ---
    "categories_title": "<b>Services</b>\nChoose an area:",
    "category_title": "<b>{name}</b>\n{description}\nChoose a service:",
    "category_empty": "<b>{name}</b>\nNo services in this area yet.",
    "service_card": (
        "<b>{name}</b>\n"
        "{description}\n\n"
        "<b>What to bring:</b>\n{bring}\n"
        "<b>How it is delivered:</b> {delivery}\n"
        "<b>First response:</b> within {response} working hours\n"
        "<b>Offered at:</b> {stations}"
    ),
    "delivery_request": "online request",
    "delivery_visit": "visit to the window",
    "delivery_both": "online request or a visit to the window",
    "bring_none": "nothing in particular",
    "btn_need_this": "📝 I need this",
    "btn_book_visit": "📅 Book a visit",
    "service_gone": "This service is no longer in the list.",
    "station_card": "<b>{name}</b>\nAddress: {address}\n\nAreas served at this station:",
    # --- admin ---
    "reload_ok": "Catalogue updated: {summary}",
    "reload_unchanged": "Catalogue reloaded, nothing changed: {summary}",
    "reload_failed": "The catalogue has errors; <b>the previous one stays in service</b>. Please fix and retry:\n{errors}",
    "reload_changes": "Changes:\n{changes}",
    "diff_station_added": "Station added: {name} ({id})",
    "diff_station_removed": "Station removed: {name} ({id})",
    "diff_station_renamed": "Station renamed: {old} → {new} ({id})",
    "diff_service_added": "Service added: {name} ({id})",
    "diff_service_removed": "Service removed: {name} ({id})",
    "diff_service_renamed": "Service renamed: {old} → {new} ({id})",
    "diff_closure_added": "Closure added: {date} ({stations}) {reason}",
    "diff_closure_removed": "Closure removed: {date} ({stations})",
    "diff_all_stations": "all stations",
    "diff_other": "Windows, forms or texts changed",
    "diff_none": "No station or service changed",
    "reload_watch_ok": "catalogue.yaml changed on disk and is now in service: {summary}",
    "reload_watch_failed": "catalogue.yaml changed on disk but has errors; the previous one stays in service:\n{errors}",
    # --- requests ---
    "rq_status_submitted": "submitted",
    "rq_status_claimed": "being handled",
    "rq_status_waiting": "waiting for you",
    "rq_status_resolved": "resolved",
    "rq_status_closed": "closed",
    "rq_status_withdrawn": "withdrawn",
    "rq_pick_category": "<b>New request</b>\nChoose an area:",
    "rq_pick_service": "Choose a service:",
    "rq_intake_intro": "Request for: <b>{service}</b>\nA few questions; press Cancel at any time.",
    "rq_question": "{prompt}{optional}\n<i>{hint}</i>",
    "rq_optional": " (optional)",
    "rq_hint_text": "Type your answer.",
    "rq_hint_number": "Type a number, e.g. 3 or 12.5.",
    "rq_hint_choice": "Choose with the buttons below.",
    "rq_hint_date": "Type a date, e.g. 2026-12-03, 2026/12/3 or 12月3日.",
    "rq_choose_button": "Please choose with the buttons above.",
    "rq_bad_number": "That is not a number; type e.g. 3 or 12.5.",
    "rq_bad_date": "I could not read that date; use 2026-12-03, 2026/12/3 or 12月3日.",
    "rq_date_past": "The date cannot be before today ({today}). Please type another.",
    "rq_ask_description": "Please <b>describe what you need</b> (at most {limit} characters): the problem, and the help you hope for.",
    "rq_ask_files": "Send any documents or photos (up to {count}, 20 MB each). Press Done when finished, or if you have none.",
    "btn_files_done": "✅ Done",
    "rq_files_expect": "Please send a document or photo, or press Done.",
    "rq_file_received": "Attachment {count} received. Send more, or press Done.",
    "rq_files_full": "That is the maximum of {count} attachments. Please press Done.",
    "rq_file_document": "document",
    "rq_file_photo": "photo",
    "file_too_big": "That file is too large: bots can only receive files up to {limit_mb} MB. Please compress or split it.",
    "file_type_refused": "For safety, this kind of file is not accepted ({ext}). Please send a PDF, an Office or WPS document, a picture or an archive whose contents match its extension.",
    "file_unread": "The file could not be read just now and was not accepted. Please send it again later.",
    "rq_summary": (
        "<b>Please confirm your request</b>\n"
        "Service: {service}\n"
        "{answers}\n"
        "Description: {description}\n"
        "Attachments: {files}"
    ),
    "rq_field_description": "Description",
    "rq_field_files": "Attachments (upload again)",
    "rq_cancelled": "Cancelled; nothing was submitted.",
    "rq_submitted": (
        "✅ Submitted as <b>{reference}</b> ({station}).\n"
        "We promise a first response within {hours} working hours, by {due} ({zone}) at the latest.\n"
        "The officer's answers arrive here; reply to them to add information. /requests shows progress."
    ),
    "rq_list_title": "<b>Requests of {company}</b> (newest first)",
    "rq_list_empty": "Your company has no requests yet. Send /new to submit one.",
    "rq_list_line": "<b>{reference}</b> · {service}\nStatus: {status} · Officer: {owner} · {when}",
    "btn_open_request": "Open {reference}",
    "rq_detail": (
        "<b>{reference}</b> · {service}\n"
        "Status: {status}\n"
        "Officer: {owner}\n"
        "Station: {station}{visits}\n"
        "Submitted: {submitted} ({zone}); first response by {due}\n"
        "{answers}\n"
        "Description: {description}\n\n"
        "<b>Latest messages</b>\n{thread}"
    ),
    "rq_thread_line": "{when} {who}: {text}",
    "btn_add_info": "➕ Add information",
    "btn_withdraw": "↩️ Withdraw",
    "btn_withdraw_yes": "Yes, withdraw",
    "rq_withdraw_sure": "Withdraw request {reference}?",
    "rq_withdraw_too_late": "⚠️ An officer has taken this request, so it can no longer be withdrawn; just tell the officer if you no longer need it.",
    "rq_withdrawn": "Request {reference} withdrawn.",
    "rq_add_prompt": "Send the text, document or photo to add to {reference}:",
    "rq_add_expect": "Please send text, a document or a photo, or press Cancel.",
    "rq_which_request": "You have several open requests. Which one is this message about?",
    "btn_pick_request": "{reference} · {service}",
    "rq_message_not_sent": "OK, that message was not sent.",
    "rq_message_sent": "✓ Passed to officer {owner} ({reference}).",
    "rq_message_queued": "✓ Added to {reference}; the officer who takes it will see it.",
    "rq_closed_no_messages": "This request is finished and takes no more messages. Send /new for a new question.",
    "rq_claimed_enterprise": "Your request <b>{reference}</b> is being handled by officer {owner}; answers arrive here.",
    "rq_transferred_enterprise": "Your request <b>{reference}</b> moved to {station}; an officer there will follow it up.",
    "from_officer": "💬 <b>{reference}</b> · officer {owner}:",
    "rq_resolved_enterprise": (
        "Officer {owner} marked request <b>{reference}</b> as <b>resolved</b>.\n"
        "Please rate the service (it closes by itself after 7 days); press “Not solved” if it is not."
    ),
    "rating_5": "★★★★★ Excellent",
    "rating_4": "★★★★ Good",
    "rating_3": "★★★ Fair",
    "rating_2": "★★ Poor",
    "rating_1": "★ Very poor",
    "btn_not_solved": "❗ Not solved",
    "rq_rated": "Thank you for rating {reference}: {stars}",
    "rq_rating_not_open": "This request was rated or closed already.",
    "rq_comment_ask": "Anything you would like to add? (Type it, or press Skip.)",
    "rq_comment_low": "We are sorry it was not good enough. Please tell us what went wrong:",
    "rq_comment_thanks": "Thank you for your comment!",
    "rq_comment_skipped": "OK, thank you!",
    "btn_skip": "Skip",
    "rq_reopened": "Request {reference} is open again; officer {owner} will follow it up.",
    "rq_reopen_not_possible": "This request is closed and can no longer be reopened (that is possible for 7 days after it is resolved). Send /new for a new question.",
    "event_file": "[attachment]",
    # --- staff ---
    "card": (
        "📋 <b>{reference}</b> · {service}\n"
        "Company: <b>{company}</b> ({code}, {tier})\n"
        "Contact: {contact} {phone}\n"
        "Station: {station}{visits}\n"
        "Submitted: {submitted} ({zone}), waiting {age}\n"
        "First response due: {due}\n"
        "{answers}\n"
        "Description: {description}\n"
        "Attachments: {files}\n"
        "{state}"
    ),
    "card_no_answers": "(no extra questions)",
    "card_state_unclaimed": "🟡 Unclaimed",
    "card_state_owner": "🟢 {status} · owner: {owner}",
    "card_state_other": "⚪ {status} (officer: {owner})",
    "card_file": "📎 Attachment of {reference}",
    "btn_claim": "✋ Claim",
    "btn_claim_ref": "✋ Claim {reference}",
    "btn_unclaim": "↩️ Unclaim",
    "btn_transfer": "➡️ Transfer",
    "btn_resolve": "✅ Resolve",
    "btn_note": "📝 Note",
    "claim_won": "You claimed {reference}. Reply to the card to write to the company.",
    "claim_lost": "Already claimed by {owner}.",
    "claim_yours_already": "You are handling this request already.",
    "claim_not_open": "This request is {status} and cannot be claimed.",
    "claimed_group": "{owner} claimed {reference}. Replies to this request's messages go to the company; start with ! for an internal note.",
    "claimed_earlier": "{count} message(s) from the company before the claim:",
    "staff_claim_first": "Please claim this request first.",
    "staff_request_not_open": "This request is {status}; nothing more can be done on it.",
    "staff_not_owner": "{owner} owns this request; only the owner or an admin can reply or act on it.",
    "relay_failed": "Your message about {reference} could not be delivered to the officer. Please send it again later, or call the station.",
    "relay_failed_staff": "The reply on {reference} to {who} could not be delivered. Please send it again later or phone the company.",
    "card_description_cut": "… (long description: in full below)",
    "card_description_more": "{reference}, the description in full:\n{description}",
    "edit_from_enterprise": "✏️ <b>{reference}</b> · {who} edited their message; it now reads:",
    "edit_from_officer": "✏️ <b>{reference}</b> · officer {owner} edited the reply; it now reads:",
    "leave_none": "You have not joined a company.",
    "leave_sure": "Leave <b>{company}</b>? You will no longer see or follow its requests and visits.",
    "btn_leave_yes": "Leave",
    "btn_keep": "Not now",
    "leave_done": "You have left <b>{company}</b>. To join again, send /start.",
    "forget_sure": "Your name, phone and Telegram identity will be deleted from this system; your company's records stay, without your name. This cannot be undone. Delete your data?",
    "btn_forget_yes": "Delete my data",
    "forget_done": "Done: your personal data has been deleted. To use the service again, send /start.",
    "privacy_kept": "All right, nothing was changed.",
    "members_title": "The people of <b>{company}</b>:",
    "members_line": "• {name}",
    "btn_remove_member": "Remove {name}",
    "member_removed": "{name} no longer belongs to the company.",
    "member_removed_you": "A contact of <b>{company}</b> removed you from the company. If in doubt, ask the company.",
    "audit_title": "Latest acts on personal data:",
    "audit_empty": "No acts on personal data yet.",
    "audit_line": "• {when} {action} (by: {who}) {detail}",
    "audit_action_leave": "left a company",
    "audit_action_remove": "removed a member",
    "audit_action_forget": "personal data deleted",
    "audit_action_purge": "retention purge",
    "relay_more_kept": "(Many messages from this company within a minute: the next ones are kept in the request; see /history {reference}.)",
    "rq_message_burst": "✓ Passed to the officer. You are sending many messages: for the next minute they are kept in request {reference}, where the officer reads them all; no need to send them again.",
    "staff_group_moved": "The staff group became a supergroup. The cards of the {count} open requests follow; please carry on here.",
    "staff_only_in_group": "To keep companies' information safe, this can only be done in the staff group.",
    "staff_act_as_yourself": "You are posting as an anonymous admin, so I cannot tell who you are. Please turn anonymity off and act as yourself.",
    "unclaim_done": "Released; the request is back in the queue.",
    "unclaimed_group": "{who} released {reference}; it waits for another officer.",
    "resolve_done": "{reference} resolved; the company was asked to rate it.",
    "note_prompt": "📝 {who}: <b>reply to this message</b> with an internal note on {reference} (never sent to the company).",
    "note_prompt_sent": "Reply to the prompt in the group to write the note.",
    "note_saved": "📝 Saved as an internal note on {reference} (not sent to the company).",
    "transfer_pick": "<b>Transfer to:</b>",
    "transfer_to_station": "➡️ {station}",
    "transfer_to_officer": "👤 {name}",
    "transfer_done": "Transferred.",
    "transferred_away": "➡️ Transferred to {station} by {who}.",
    "transferred_here": "⬅️ {reference} was transferred here from {station} by {who}; please claim it.",
    "reassigned_group": "{who} handed {reference} to {owner}.",
    "from_enterprise": "💬 <b>{reference}</b> · {company} ({who}):",
    "relay_nobody": "Every contact of this company has blocked the bot; the message on {reference} cannot be delivered. Please phone them.",
    "rated_group": "{reference} rated by the company: {stars} ({verdict}) — {who}",
    "verdict_good": "good",
    "verdict_fair": "fair",
    "verdict_bad": "bad",
    "comment_group": "{reference} comment from the company ({who}): {comment}",
    "reopened_group": "❗ {who} says {reference} is not solved; it is open again. {owner}, please follow up.",
    "reannounce": "⏰ {reference} ({service}) has waited over {hours} working hours unclaimed; please claim it.",
    "escalate": "🚨 {reference} has waited over {hours} working hours unclaimed. {admins}, please step in.",
    "queue_title": "<b>Unclaimed</b> ({count}, oldest first)",
    "queue_empty": "Nothing is waiting to be claimed.",
    "mine_title": "<b>My requests</b> ({count})",
    "mine_empty": "You are not handling any request.",
    "find_title": "<b>Found</b> ({count})",
    "find_none": "Nothing found.",
    "find_usage": "Usage: /find reference, credit code or company name",
    "history_usage": "Usage: /history reference, e.g. /history BS-2611-0042",
    "staff_list_line": "<b>{reference}</b> · {company} · {service}\n  {status} · {owner} · {age}",
    "history_head": "<b>{reference}</b> · {company} · {service} · {status}\nTimes in {zone}",
    "history_submitted": "{when} submitted: {description}",
    "history_message": "{when} 💬 {side} {who}: {text}",
    "history_attachment": "{when} 📎 {side} {who}: {text}",
    "history_note": "{when} 📝 note {who}: {text}",
    "history_status": "{when} ⚙️ {who}: {text}",
    "history_rating": "Rating: {rating} stars; comment: {comment}",
    "side_enterprise": "company",
    "side_staff": "officer",
    "side_system": "system",
    "age_days": "{days} d {hours} h",
    "age_hours": "{hours} h {minutes} min",
    "age_minutes": "{minutes} min",
    # --- booking ---
    "wd_0": "Mon",
    "wd_1": "Tue",
    "wd_2": "Wed",
    "wd_3": "Thu",
    "wd_4": "Fri",
    "wd_5": "Sat",
    "wd_6": "Sun",
    "bk_ask_station": "<b>Book a window visit</b>\nChoose the station (⭐ is your company's own):",
    "bk_no_station": "No station takes window bookings at the moment.",
    "bk_ask_day": "<b>{station}</b>\nChoose a day (all times are station time: {zone}):",
    "bk_day_free": " · {seats} free",
    "bk_day_full": " · full",
    "bk_no_days": "<b>{station}</b> has no bookable day soon (holidays, or beyond the booking horizon). Go back to choose another station.",
    "bk_ask_slot": "<b>{station}</b> {day}\nChoose a time ({zone}). On a full slot you can join the waiting list and hear when a seat frees up:",
    "bk_seats_left": "{seats} left",
    "bk_slot_full_wait": "full · 🔔 wait list",
    "bk_day_gone": "This day has no bookable time left; go back to choose another day.",
    "bk_ask_topic": "What is the visit about?",
    "bk_topic_other": "Something else",
    "bk_ask_note": "Describe your question if you like (up to {limit} characters) so the officer can prepare, or tap “Skip”.",
    "bk_btn_no_note": "Skip",
    "bk_summary": (
        "<b>Please confirm the visit</b>\n"
        "Station: {station}\n"
        "Address: {address}\n"
        "Time: {when}\n"
        "Topic: {topic}\n"
        "Note: {note}"
    ),
    "bk_reschedule_head": "<b>Reschedule</b>: on confirming, the old visit is cancelled and the new one takes its place.",
    "bk_flow_cancelled": "Booking left; nothing was changed.",
    "bk_wait_joined": "You are on the waiting list. When a seat frees up you will be told first, and it is held for you for a while.",
    "bk_wait_already": "You are on this slot's waiting list already.",
    "bk_confirmed": "✅ <b>Visit booked.</b> Please be on time. The attached file adds it to your calendar.",
    "bk_pending": "⏳ <b>Booking received, waiting for an officer's confirmation.</b> After recent missed visits, bookings need an officer's approval; you will hear the outcome.",
    "bk_rescheduled": "🔁 Rescheduled; the old visit is cancelled.",
    "bk_details": (
        "Reference: <b>{ref}</b>\n"
        "Station: {station}\n"
        "Address: {address}\n"
        "Time: {when}\n"
        "Topic: {topic}\n"
        "Note: {note}\n"
        "Status: {status}"
    ),
    "bk_line_gone": "Booking {ref} (the station is no longer in the catalogue)",
    "bk_status_offered": "seat held for you, waiting for your answer",
    "bk_status_pending_approval": "waiting for an officer",
    "bk_status_confirmed": "confirmed",
    "bk_status_arrived": "attended",
    "bk_status_no_show": "missed",
    "bk_status_cancelled": "cancelled",
    "bk_status_declined": "declined / given up",
    "bk_status_expired": "hold expired",
    "bk_ics_summary": "Window visit: {station}",
    "bk_ics_description": "Reference {ref}; topic: {topic}",
    "bk_just_taken": "Sorry, the last seat of this slot was just taken. These free times are the nearest to the one you chose:",
    "bk_just_taken_none": "Sorry, this slot was just filled and no other time is free soon. You can go back and join its waiting list.",
    "bk_btn_other_days": "« Other days",
    "bk_already_yours": "You have booked this slot already; no need to book it twice.",
    "bk_duplicate": "You have booked this slot already; no need to book it twice.",
    "bk_gone": "This booking no longer exists or was cancelled.",
    "bk_cutoff": "It is too close to the start to cancel or reschedule online; please contact the station.",
    "bk_cutoff_passed": "It is too close to the start to cancel or reschedule online; please contact the station.",
    "bk_same": "The new time is the same as the old one; nothing changed.",
    "bk_expired": "Sorry, the seat held for you has expired.",
    "bk_rebooked": "You have already rebooked this visit after the closure; see /bookings.",
    "bk_station_gone": "This station is no longer in the catalogue; the booking was left.",
    "bk_problem_no_station": "There is no such station.",
    "bk_problem_closed": "The station is closed that day; please choose another day.",
    "bk_problem_no_slot": "There is no such time; please choose again.",
    "bk_problem_service": "This time does not take that topic; please choose another time.",
    "bk_problem_past": "This time has passed.",
    "bk_problem_too_soon": "This time starts too soon to book online; please choose a later one.",
    "bk_problem_too_far": "This day is beyond the booking horizon.",
    "bk_problem_limit": "A company can hold at most {limit} upcoming visits. Please attend or cancel one first (/bookings).",
    "bk_problem_taken": "Sorry, that time has just filled up. Please choose another.",
    "bk_list_upcoming": "<b>Upcoming visits</b>",
    "bk_list_none": "No upcoming visits. Send /book to book one.",
    "bk_list_past": "<b>Past visits</b>",
    "bk_past_line": "{ref} · {when} · {status}",
    "bk_btn_cancel": "✖ Cancel",
    "bk_btn_reschedule": "🔁 Reschedule",
    "bk_btn_cancel_yes": "Yes, cancel it",
    "bk_cancel_sure": "Cancel this visit?",
    "bk_cancelled": "Visit {ref} cancelled. The attached file removes it from your calendar.",
    "bk_offer": (
        "🔔 A seat is free in the slot you were waiting for!\n{station}\n{when}\n"
        "It is held for you for {minutes} minutes; tap “Accept” to take it."
    ),
    "bk_btn_accept": "✅ Accept",
    "bk_btn_pass": "No longer needed",
    "bk_passed": "All right, the seat goes to the next company waiting.",
    "bk_pass_kept": "You have accepted this seat already, so your booking stands. To cancel it, use /bookings.",
    "bk_offer_expired": "The seat held for you has expired and went to the next company waiting.",
    "bk_remind_day": "⏰ <b>Reminder: your visit is tomorrow</b>\n\n{details}",
    "bk_remind_today": "⏰ <b>Reminder: your visit is today</b>\n\n{details}",
    "bk_remind_hour": "⏰ <b>Your visit starts in one hour</b>\n\n{details}",
    "bk_closed_notice": "⚠️ Sorry, the station is closed that day ({reason}), so your visit is cancelled:\n\n{details}",
    "bk_closed_alts": "Tap a time below to rebook in one step (same topic and note):",
    "bk_closed_no_alts": "No time is free soon; please send /book later.",
    "bk_displaced_admin": "Closure: {count} visits were cancelled and their companies told:",
    "bk_displaced_line": "• {ref} {company} · {when}",
    # --- roster ---
    "ro_title": "<b>Today's window visits · {station}</b>\n{day} ({zone})",
    "ro_week_title": "<b>This week's window visits · {station}</b> ({zone})",
    "ro_empty": "No bookings.",
    "ro_line": "{time} {company} · {topic}{note} · {status}",
    "ro_day_head": "<b>{day}</b>",
    "ro_btn_arrived": "✅ {time} arrived",
    "ro_btn_no_show": "❌ no-show",
    "ro_marked": "Recorded: {ref} {status}",
    "ro_not_today": "Attendance is recorded on the day of the visit, and a no-show only after it has started.",
    "ro_unknown_station": "No such station. Known: {stations}",
    "ro_staff_only": "This command is for the staff group only.",
    "ro_approval_card": "<b>Booking to approve</b> (two no-shows in 90 days)\nCompany: {company}\n\n{details}",
    "ro_btn_approve": "✅ Approve",
    "ro_btn_decline": "✖ Decline",
    "ro_approved": "✅ An officer confirmed your visit:\n\n{details}",
    "ro_declined": "Sorry, your visit was not approved and the seat was released. Please contact the station with any question.\n\n{details}",
    "ro_decided": "Done: {ref} {status} ({officer})",
    "ro_no_show_warning": "Your company has missed {count} booked visits in 90 days. From now on, a booking takes effect only after an officer confirms it.",
    # --- requests and visits ---
    "rq_visit_not_open": "Request {reference} is closed: a window visit can no longer be booked for it.",
    "rq_visit_line": "📅 Window visit {ref}: {when} · {station} · {status}",
    "history_visit": "{when} 📅 {who}: {text}",
    "visit_event_booked": "Window visit {ref} booked: {when} · {station}",
    "visit_event_rescheduled": "Window visit {old_ref} moved to {ref}: {when} · {station}",
    "visit_event_cancelled": "Window visit {ref} cancelled: {when} · {station}",
    "visit_event_closed": "Window visit {ref} cancelled, station closed: {when} · {station}",
    "visit_event_declined": "Window visit {ref} not approved by an officer: {when} · {station}",
    "bk_topic_request": "📋 {reference} · {service}",
    "bk_topic_about": "{topic} (request {reference})",
    "bk_request": "That request is closed or not your company's, so nothing was booked. Send /book to book again with another topic.",
    "ro_request": "  📋 {reference} · {status}",
    "ro_request_this": "  📋 {reference} · {status} ← this visit's topic",
    "ro_requests_more": "  …and {count} more open requests",
}
