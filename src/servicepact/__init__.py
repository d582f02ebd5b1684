"""servicepact: IT service management for IT outsourcing, where the service contract is code."""
