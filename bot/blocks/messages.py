"""Every sentence lpbot says to people, so they can be reviewed in one place.

Short, kind and specific. Placeholders are filled with ``str.format``; anything a person
typed is escaped before it is put in.
"""

HELP_HEADER = "Here is what you can do with lpbot:"
HELP_MEMBER = [
    "`/lp checkin`: tell your partnership how things are going (under a minute); "
    "*Edit my check-in* on its confirmation changes it until the round closes",
    "`/lp status`: see your own latest check-in",
    "`/lp pause 2 weeks` / `/lp resume`: stop and restart your check-in prompts",
    "`/lp reminders off` / `/lp reminders on`: reminders after a prompt",
]
HELP_LEAD = [
    "`/lp status`: your partnership's momentum, who has checked in, blockers",
    "`/lp objectives`: see and edit your challenge and objectives",
    "`/lp sharing off|summary|full`: what your partnership channel sees after each round "
    "(and what staff may quote when introducing you to a partnership facing the same thing)",
]
HELP_STAFF = [
    "`/lp status all`: every partnership, worst first",
    "`/lp status <slug or name>`: one partnership in full",
    "`/lp digest`: preview this week's digest (only you see it); *Introduce them* on its "
    "common ground opens a group DM of those partnerships' leads and you",
    "`/lp admin`: the programme, its partnerships, people and calendar, with editors",
]
HELP_ADMIN = ["`/lp admin`: set up and change the programme, its partnerships, people "
              "and calendar"]
HELP_OUTSIDER = ("You're not part of a partnership in this programme yet, so there is "
                 "nothing to check in to. Ask the programme team to add you.")
UNKNOWN_COMMAND = "I didn't recognise `{text}`."

NOT_A_MEMBER = "You're not a member of a partnership, so there's no check-in for you."
NOT_YOUR_PARTNERSHIP = "That isn't one of your partnerships, so I can't do that for you."
STATUS_FOR_LEADS = ("Partnership status is for leads and the programme team. "
                    "Here is your own latest check-in.")
NO_CHECKINS_YET = "You haven't checked in yet. `/lp checkin` takes under a minute."
STAFF_ONLY = "That's for the programme team."
LEADS_ONLY = "That's for partnership leads."
UNKNOWN_PARTNERSHIP = "I couldn't find a partnership called `{key}`. Try `/lp status all`."
SEVERAL_LED = "You lead several partnerships: say which one, e.g. `/lp {command} {slug}`."
NO_PROGRAMME = "No programme has been imported yet, so there's nothing to show."

PAUSE_USAGE = "Say how long, e.g. `/lp pause 2 weeks` or `/lp pause 10 days` (up to 26 weeks)."
PAUSED = "Prompts paused until {until}. Take care. `/lp resume` starts them again sooner."
RESUMED = "Welcome back: your check-in prompts are on again."
NOT_PAUSED = "Your prompts weren't paused; nothing to resume."
REMINDERS_USAGE = "Say `/lp reminders off` or `/lp reminders on`."
REMINDERS_OFF = "Reminders are off. You'll still get one prompt each round."
REMINDERS_ON = "Reminders are on: up to two gentle nudges if you haven't checked in."

# What a partnership shares in its own channel (bot/blocks/sharing.py, /lp sharing).
SHARING_USAGE = ("Say `/lp sharing off`, `/lp sharing summary` or `/lp sharing full` "
                 "(`/lp sharing` alone shows the current setting).")
SHARING_NOW = "*{partnership}* shares *{level}* in {channel}: {meaning}"
SHARING_SET = "Done: *{partnership}* now shares *{level}* in {channel}: {meaning}"
SHARING_MEANS = {
    "off": "nothing is posted there.",
    "summary": ("after each round, the figures, objective statuses, and highlights and "
                "blockers without names."),
    "full": "after each round, everyone's answers with their names.",
}
SHARING_NO_CHANNEL_NAME = "no channel"
SHARING_NO_CHANNEL = ("This partnership has no channel in the programme file, so nothing is "
                      "posted until the programme team adds one.")
CHECKIN_SHARES_NOTHING = ("Shared: nothing in a channel. Your leads and the programme team "
                          "see your answers.")
# A round's summary in the partnership channel (bot/blocks/channel_summary.py).
SUMMARY_TEXT = "{partnership}: the round has closed, {answered} of {eligible} checked in."
SUMMARY_HEADLINE = "*{partnership}*: the round has closed. *{answered} of {eligible}* checked in."
SUMMARY_INSTITUTIONS = "Answered from: {names}."
SUMMARY_NO_INSTITUTIONS = "No institution answered this round."
SUMMARY_MOMENTUM = "Momentum {momentum} ({trend} {change})."
SUMMARY_MOMENTUM_FIRST = "Momentum {momentum}."
SUMMARY_NO_MOMENTUM = "No momentum this round: nobody answered."
SUMMARY_TREND = {"↗": "rising", "↘": "falling", "→": "steady"}
SUMMARY_OBJECTIVES = "Objectives: {counts}."
SUMMARY_NO_OBJECTIVES = "No active objectives."
SUMMARY_NOT_REPORTED = "not reported"
SUMMARY_THREAD_HINT = ("More in the thread, as this partnership shares it ({sharing}); leads "
                       "choose with `/lp sharing`.")
SUMMARY_DETAIL_TITLE = "{partnership}: this round in detail"
SUMMARY_FIGURES = "*Figures:* {answered} of {eligible} checked in ({rate}); momentum {momentum}."
SUMMARY_OBJECTIVE_LINE = "• {title}: {status}"
SUMMARY_HIGHLIGHTS = "*Highlights* (without names)"
SUMMARY_BLOCKERS = "*Blockers* (without names)"
SUMMARY_NONE_TYPED = "Nobody wrote highlights or blockers this round."
SUMMARY_ANSWER_HEAD = "*{name}*: momentum {momentum}"
SUMMARY_ANSWER_PART = "{label}: {text}"
SUMMARY_ANSWER_LABELS = {"highlights": "Highlights", "blockers": "Blockers",
                         "help_text": "Help wanted", "next_steps": "Next"}
HOME_CHANNEL_PROBLEM = (":warning: I couldn't post *{partnership}*'s round summary in "
                        "{channel} (Slack said `{error}`). If it is a private channel, invite "
                        "me there with `/invite @lpbot`; otherwise ask the programme team to "
                        "check the channel in the programme file.")
CHECKIN_SHARES = {
    "summary": ("Shared when the round closes: figures, statuses, highlights and blockers "
                "in {channel}, without your name."),
    "full": "Shared when the round closes: your answers, with your name, in {channel}.",
}

CHECKIN_TITLE = "Check in"
CHOOSE_TITLE = "Which partnership?"
OBJECTIVES_TITLE = "Objectives"
SUBMIT = "Submit"
NEXT = "Next"
SAVE = "Save"
CANCEL = "Cancel"

MOMENTUM_LABEL = "How is momentum right now?"
MOMENTUM_OPTIONS = {1: "1 · stuck", 2: "2 · slow", 3: "3 · steady", 4: "4 · good",
                    5: "5 · flying"}
STATUS_OPTIONS = {"on_track": "On track", "at_risk": "At risk", "stalled": "Stalled",
                  "done": "Done"}
HIGHLIGHTS_LABEL = "Highlights since last time"
BLOCKERS_LABEL = "Blockers"
HELP_LABEL = "Would help from the programme team make a difference?"
HELP_YES, HELP_NO = "Yes", "No"
HELP_TEXT_LABEL = "What would help?"
NEXT_LABEL = "Next steps"
NOTE_LABEL = "Note on this objective"
NOTES_LABEL = "Notes on objectives"
TOO_MANY_OBJECTIVES = ("This partnership has {total} objectives; the first {shown} are "
                       "here. Ask your lead to retire finished ones with `/lp objectives`.")
NO_OBJECTIVES_IN_MODAL = ("Your partnership has no active objectives yet: a lead can add "
                          "them with `/lp objectives`.")

ERR_BLOCKERS_NEEDED = "You marked an objective as stalled: what is blocking it?"
ERR_HELP_NEEDED = "Tell the programme team what would help."
ERR_MOMENTUM = "Pick a momentum score from 1 to 5."
ERR_TOO_LONG = "Please keep this under {limit} characters."
ERR_NOT_SAVED = ("Sorry, I couldn't save your check-in just now. Your answers are still "
                 "here: please press Submit again in a moment.")
ERR_STALE = "This check-in is out of date: please close it and run `/lp checkin` again."
# After the ack: the form has closed, so the member hears it by DM, with their answers.
NOT_SAVED = ("Sorry, I didn't save the check-in you just sent: {reason} Your answers are "
             "below, so nothing is lost.")
NOT_SAVED_REASONS = {
    "unreachable": "I couldn't reach my records just now. Please check in again in a moment.",
    "closed": "that round has closed, so your check-in for it is final.",
    "superseded": ("your check-in changed after that form was opened, so I didn't save it "
                   "over the newer answers."),
    "stale": "that form was out of date.",
    "not_member": "you aren't, or are no longer, a member of that partnership here.",
}
ERR_NOT_YOUR_VIEW = ("This form wasn't opened for you, so I haven't saved it. `/lp checkin` "
                     "or `/lp objectives` opens your own.")
ERR_SUPERSEDED = ("Your check-in has changed since this form was opened, so I haven't saved "
                  "it over the newer answers: close it and run `/lp checkin` to see them.")
VIEW_OPEN_FAILED = ("Slack didn't let me open the form in time (that happens when it's slow "
                    "to answer). Please try again.")
ERR_PICK_PARTNERSHIP = "Pick one of your partnerships."
ERR_OBJECTIVE_TOO_LONG = "Keep objectives under 300 characters."

CONFIRM_STORED = "Thanks {name}, your check-in for *{partnership}* is in (momentum {momentum}/5)."
CONFIRM_AMENDED = ("Thanks {name}, I've updated your check-in for *{partnership}* this round "
                   "(momentum {momentum}/5).")
PULSE_THANKS = "Thanks! Momentum {momentum}/5 recorded for *{partnership}*."
PULSE_ADD_DETAIL = "Add detail"
SNOOZED = "Snoozed: I'll leave you be until {until}."

PROMPT_TEXT = "Time to check in on *{partnership}*. It takes under a minute."
PROMPT_LULL = ("It's {lull}, when partnerships tend to lose momentum. A one-click pulse "
               "is enough to keep *{partnership}* moving.")
PROMPT_REPORT_BACK = ("The report-back conference is in {days} days: a full check-in on "
                      "*{partnership}* now makes the report easy.")
REMINDER_TEXT = "A gentle reminder: *{partnership}* would love your check-in."
REMINDER_PROGRESS = "{answered} of {eligible} in your partnership have checked in this round."
REMINDER_PROGRESS_ONE = "1 of {eligible} in your partnership has checked in this round."
REMINDER_FIRST = "You'd be the first in your partnership to check in this round."
CADENCE_TITLE = "*Your check-in cadence*"
CADENCE_REMINDERS_ON = "Reminders are on: a gentle nudge if you haven't checked in."
CADENCE_REMINDERS_OFF = "Reminders are off: you get one prompt each round."
CADENCE_PAUSED = "Prompts are paused until {until}."
CADENCE_RESTING = ("You've let a few rounds pass, so reminders are resting until your next "
                   "check-in. No pressure.")
BUTTON_REMINDERS_OFF = "Turn reminders off"
BUTTON_REMINDERS_ON = "Turn reminders on"
BUTTON_RESUME = "Resume prompts now"
PAUSE_PICK = "Pause prompts until…"
PAUSE_DATE_INVALID = "Pick a day from tomorrow to 26 weeks ahead to pause your prompts until."
STATUS_QUIET = ("Quiet for {rounds} rounds in a row, so no reminders until they answer "
                "(a word from you may help): {names}")
BUTTON_CHECKIN = "Check in"
BUTTON_SNOOZE = "Snooze 2 days"
PULSE_LABEL = "Quick pulse: momentum 1–5"

OBJECTIVES_SAVED = "Objectives saved: {added} added, {reworded} reworded, {retired} retired."

ERROR_GENERIC = "Sorry, something went wrong on my side. Please try again in a moment."
OVERVIEW_PAGE = "Page {page} of {pages} · {total} partnerships, most in need first."
PREVIOUS = "◀ Previous"
HOME_MORE_PARTNERSHIPS = "…and {more} more: `/lp status all` pages through them all."
MORE = "More ▶"
BUSY = "I'm answering a lot of people just now: please try again in a minute."
BUSY_FORM = ("I'm answering a lot of people just now, so I haven't saved this yet. Your "
             "answers are still here: please press Submit to try again in a minute.")
LEAD_ALERT = ("Heads up: *{partnership}* looks stalled ({reasons}). A short call with your "
              "partners, or `/lp status` to see who has gone quiet, often gets it moving.")

# Charts (bot/blocks/pictures.py): titles within Slack's 50 characters, and the text line
# beside every chart that says the same for older clients, screen readers, notifications.
CHART_MOMENTUM = "Momentum, last {n} rounds"
CHART_RESPONSE = "Response rate, last {n} rounds (%)"
CHART_OWN = "Your momentum and your partnership's"
CHART_PROGRAMME_MOMENTUM = "Momentum by week: most in need"
CHART_PROGRAMME_RESPONSE = "Programme response by week (%)"
CHART_OBJECTIVES = "Objectives by status"
CHART_YOU = "You"
CHART_PROGRAMME = "Programme"
CHART_NO_ANSWERS = "0 = no answers"
LINE_ROUNDS = ("*{name}*, last {n} rounds (oldest first; lull rounds marked _lull_):\n"
               "momentum {momentum}\nresponse {response}")
LINE_OWN = "*Your momentum* (oldest first): {own}\n*{name}*: {partnership}"
LINE_PROGRAMME = ("*Programme, week by week* (oldest first; lull weeks marked _lull_):\n"
                  "momentum {momentum}\nresponse {response}")
LINE_MOST_IN_NEED = "Momentum by week for the partnerships most in need: {names}."
LINE_OBJECTIVES = "*Objectives by status:* {counts}."
NO_ROUNDS_YET = "No check-in round has opened yet, so there is nothing to chart."
BUTTON_PACK = "Send me the report-back pack"
PACK_SENT = "Here is the report-back pack: {pages} pages, one per partnership and an overview."
PACK_FAILED = "Sorry, I couldn't send the report-back pack just now. Please try again later."

# Personal data (bot/blocks/privacy.py): /lp privacy, /lp my data, erasure by staff.
PRIVACY_HEADER = "*What lpbot keeps about you, and your rights*"
PRIVACY_STORES = ("*What it stores:* your name, Slack id, institution and time zone; which "
                  "partnerships you are in and your role; every check-in you make (momentum, "
                  "highlights, blockers, help asked for, next steps, objective statuses and "
                  "notes); your settings (pause, reminders); and when it messaged you.")
PRIVACY_YOU_HAVE = "You have made {count} check-in(s)."
PRIVACY_WHO = ("*Who sees it:* you see your own answers. Your partnership's leads see your "
               "answers with your name. The programme team sees everything. Members see "
               "only figures, never each other's words.")
PRIVACY_CHANNEL = ("*The partnership channel* sees round summaries as the partnership's "
                   "sharing setting allows (off, summary, full).")
PRIVACY_KEPT = ("*How long:* free text (highlights, blockers, help, next steps, notes) is "
                "removed {days} days after the report-back on {report_back}; the numbers "
                "stay, without your words.")
PRIVACY_RIGHTS = ("*Your rights:* `/lp my data` sends you a file with everything lpbot "
                  "holds about you. To have it erased, ask the programme team: your name, "
                  "Slack id and words are removed, your scores stay unattributed. Messages "
                  "already posted in Slack follow your workspace's own retention.")
PRIVACY_NOTHING = "lpbot holds nothing about you: you are not in this programme."
MY_DATA_SENT = "I've sent you a file with everything lpbot holds about you, in our DM."
MY_DATA_COMMENT = ("Here is everything lpbot holds about you: data.json has it all, the "
                   "CSV files open in a spreadsheet.")
MY_DATA_LIMIT = ("I've already sent you your data in the last 24 hours, so I won't send "
                 "another copy just yet. It's in our DM; ask again tomorrow if you need a "
                 "fresh one.")
MY_DATA_NOTHING = "lpbot holds nothing about you, so there is no file to send."
MY_DATA_FAILED = "Sorry, I couldn't send your file just now. Please try again in a moment."
MY_DATA_USAGE = "Did you mean `/lp my data`?"
FORGET_USAGE = "Say whose data to erase by Slack id, e.g. `/lp forget U0123ABCD`."
FORGET_UNKNOWN = "lpbot holds nothing about `{slack_id}`."
FORGET_ALREADY = "`{slack_id}` was erased already: lpbot holds nothing more about them."
FORGET_TITLE = "Erase personal data"
FORGET_CONFIRM = "Erase"
FORGET_WHO = ("Erase *{name}* ({partnerships}; {checkins} check-in(s))? Their name, Slack id "
              "and every word they wrote are removed; their scores stay, unattributed. "
              "Messages already posted in Slack are left to Slack's own retention. "
              "*This cannot be undone.*")
FORGET_DONE = ("Erased: {checkins} check-in(s) lost their text ({texts} answers), "
               "{dropped} queued message(s) dropped. The audit log records the erasure, not "
               "the data.")
HELP_PRIVACY = ["`/lp privacy`: what lpbot keeps about you and who sees it",
                "`/lp my data`: get a file with everything lpbot holds about you"]
HELP_FORGET = ["`/lp forget <Slack id>`: erase someone's personal data (asks first)"]

# Editing a check-in until its round closes
EDIT_CHECKIN_BUTTON = "Edit my check-in"
EDIT_CHECKIN_HINT = "You can change your answers until the round closes."
ROUND_CLOSED = ("That round has closed, so your check-in for it is final. The next "
                "round's prompt will ask you again.")
NOT_YOUR_CHECKIN = "That check-in isn't yours, so I can't open it for you."
