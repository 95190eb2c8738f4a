"""The app shell: settings, the Slack client, the bare Bolt app and the HTTP adapter."""
