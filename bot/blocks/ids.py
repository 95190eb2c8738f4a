"""Every action_id, block_id prefix and callback_id the bot uses, in one place."""

# Buttons and selects
OPEN_CHECKIN = "open_checkin"
PULSE = "pulse"  # followed by _1 … _5
SNOOZE = "snooze"
OVERVIEW_PAGE = "overview_page"  # value: the page to show
HOME_REMINDERS = "home_reminders"  # value "on" | "off"
HOME_PAUSE = "home_pause_until"  # a datepicker
HOME_RESUME = "home_resume"

# Modals
CHECKIN_VIEW = "checkin"
CHOOSE_VIEW = "choose_partnership"
OBJECTIVES_VIEW = "objectives"

# Blocks of the check-in modal
B_PARTNERSHIP = "partnership"
B_MOMENTUM = "momentum"
B_HIGHLIGHTS = "highlights"
B_BLOCKERS = "blockers"
B_HELP = "help_wanted"
B_HELP_TEXT = "help_text"
B_NEXT = "next_steps"
B_OBJECTIVE = "obj_status:"  # + objective id
B_OBJECTIVE_NOTE = "obj_note:"  # + objective id
B_OBJECTIVE_NOTES = "obj_notes"
B_CHALLENGE = "challenge"
B_OBJECTIVE_TITLE = "obj_title:"  # + objective id
B_NEW_OBJECTIVE = "obj_new:"  # + 0, 1, 2

VALUE = "value"  # the action_id of every input element: blocks carry the meaning


def pulse_action(score: int) -> str:
    return f"{PULSE}_{score}"

# App Home, staff: the report-back pack sent as a file
SEND_PACK = "send_pack"

# Personal data
ERASE_VIEW = "erase_person"  # the staff confirmation dialog; private_metadata: Slack id

# Programme administration (staff): App Home's Programme view, `/lp admin` and its editors
ADMIN_HOME_PROGRAMME = "admin_home_programme"  # App Home: show the Programme view
ADMIN_HOME_OVERVIEW = "admin_home_overview"  # App Home: back to the overview
ADMIN_EDIT_PROGRAMME = "admin_edit_programme"  # also "Create the programme"
ADMIN_ADD_PARTNERSHIP = "admin_add_partnership"
ADMIN_EDIT_PARTNERSHIP = "admin_edit_partnership"  # value: partnership id
ADMIN_EDIT_STAFF = "admin_edit_staff"
ADMIN_ADD_LULL = "admin_add_lull"
ADMIN_EDIT_LULL = "admin_edit_lull"  # value: "index:start"
ADMIN_REMOVE_LULL = "admin_remove_lull"  # value: "index:start"
ADMIN_VIEW = "admin_programme"  # the `/lp admin` modal (read only, buttons)
PROGRAMME_EDIT_VIEW = "admin_programme_edit"
PARTNERSHIP_EDIT_VIEW = "admin_partnership_edit"
INSTITUTIONS_VIEW = "admin_institutions"
STAFF_EDIT_VIEW = "admin_staff_edit"
LULL_EDIT_VIEW = "admin_lull_edit"
ADMIN_VIEWS = (PROGRAMME_EDIT_VIEW, PARTNERSHIP_EDIT_VIEW, INSTITUTIONS_VIEW, STAFF_EDIT_VIEW,
               LULL_EDIT_VIEW)

# Common ground: staff introduce partnerships (value: storage.common_ground.GroupRef)
INTRODUCE = "introduce"
INTRO_VIEW = "introduction"  # the review modal; private_metadata: the sealed group
B_INTRO_TEXT = "intro_text"

# A member edits their check-in until the round closes (value: the check-in's id)
EDIT_CHECKIN = "edit_checkin"
EDIT_CHECKIN_VIEW = "checkin_edit"
