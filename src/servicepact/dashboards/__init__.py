"""Dashboards: what a team lead and a customer's manager look at first, drawn from stored figures.

A team lead's: the health of their teams' queues, the clocks due in the next hours, this week's breaches,
the workload per person and per shift. A customer manager's: their organization's tickets, its service
levels this week and this month per measure, the service credits to date and the open major incidents.
They read the live clocks table and the stored reports; nothing heavy is recomputed in a request.
"""
