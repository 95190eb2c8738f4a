"""Staff run the programme from Slack: the Programme view, `/lp admin` and the editors.

Every button and every submission asks ``gate.is_staff`` on the server first, whatever
the payload claims; editors are sealed modals (``handlers.views.claimed``).
"""
