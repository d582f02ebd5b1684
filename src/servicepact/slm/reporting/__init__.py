"""Service-level reporting in the service: stored reports computed by the SLA kernel from the live log."""
