"""The local Slack stand-in: a real HTTP server that answers the Web API as Slack does.

Product code, not only a test fixture: the tests and the playground both run lpbot
against it, and ``SLACK_API_URL`` points any lpbot process at it.
"""

from bot.playground.standin.server import StandIn

__all__ = ["StandIn"]
