"""The desk's web pages: the agents' workspace, the ticket page with its actions, the requester portal."""
