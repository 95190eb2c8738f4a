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

# Common ground: staff introduce partnerships (value: storage.common_ground.GroupRef)
INTRODUCE = "introduce"
INTRO_VIEW = "introduction"  # the review modal; private_metadata: the sealed group
B_INTRO_TEXT = "intro_text"

# A member edits their check-in until the round closes (value: the check-in's id)
EDIT_CHECKIN = "edit_checkin"
EDIT_CHECKIN_VIEW = "checkin_edit"
