"""The request catalogue: what a contract's requesters may ask for, and how each request is fulfilled.

- **Items.** Each contract has a catalogue of items (access to SAP, a new laptop, VPN access...), named
  and described in English and Chinese. An item belongs to one of the contract's services, goes to one
  team's queue, and carries a fixed priority of the contract's matrix: the requester never picks impact
  and urgency. Its form asks fields (text, choice, date, person, yes/no), required or not, validated on
  the server with errors naming the field.
- **Submitting.** A request becomes a ticket of kind ``request`` through the desk's own create action,
  with the answers in its description and kept structured beside it (``ServiceRequest``).
- **Approval.** An item may need the approval of the requester's manager (the directory's manager): the
  ticket then waits in ``pending_customer`` (its resolution clock pauses where the contract pauses on
  that status), the manager follows it and is told; an approval sends it to the item's team, a
  rejection resolves and closes it with the reason.
- **Fulfilment.** The item's tasks are copied onto the request, each for a team, done in order or in
  parallel; those who work the ticket tick them off and resolve it once all are done.
"""
