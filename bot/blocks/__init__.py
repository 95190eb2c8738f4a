"""Block Kit builders: every message and view the bot sends, built with slack_sdk.models."""
