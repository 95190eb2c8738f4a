"""The playground: lpbot, the local Slack stand-in and a web page that plays Slack's client."""
