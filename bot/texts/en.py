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
    "diff_station_renamed": "Station renamed: {id} {old} → {new}",
    "diff_service_added": "Service added: {name} ({id})",
    "diff_service_removed": "Service removed: {name} ({id})",
    "diff_service_renamed": "Service renamed: {id} {old} → {new}",
    "reload_watch_ok": "catalogue.yaml changed on disk and is now in service: {summary}",
    "reload_watch_failed": "catalogue.yaml changed on disk but has errors; the previous one stays in service:\n{errors}",
    # --- requests ---
    # --- staff ---
    # --- booking ---
    # --- roster ---
}
