"""Entry points: the `lpbot` command line and the gunicorn server."""
