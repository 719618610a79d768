"""The answer engine, its command line and its Slack adapter."""
