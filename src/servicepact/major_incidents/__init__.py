"""Major incidents: a tier-1 service outage declared and run by the provider's leads, with its affected
services, linked incidents, timed updates mailed to the customer's managers and a post-incident review."""
