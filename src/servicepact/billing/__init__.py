"""Hours and the invoice: time logged per person on tickets (or a general activity), approved per week by
the customer's manager, and invoices per contract month from the approved hours at the contract's rates,
less the credits of the month's stored report, named by its digest (docs/billing.md)."""
