"""English: every user-visible string. Keys are shared with ``zh.py``."""

EN: dict[str, str] = {
    # --- common ---
    "help": (
        "<b>Frontdoor · enterprise service stations</b>\n"
        "1. /start registers your company (Unified Social Credit Code); /profile shows or edits it.\n"
        "2. /services walks the service list: IP, quality, standards, certification, coordination.\n"
        "3. /new submits a request; /requests follows it and talks to the officer.\n"
        "4. /book books a visit to a station's reception window; /bookings shows or moves it.\n"
        "5. /language switches language; /cancel leaves whatever you are doing."
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
    "company_exists_other_name": "(You typed “{typed}”; the registered name is kept.)",
    "joined_company": "You are now a contact of <b>{company}</b> and can follow all its requests.",
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
    # --- staff ---
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
}
