"""Customer satisfaction: a survey after each resolution, and periodic relationship surveys.

- **After resolution.** Resolving a ticket invites its requester (``invite``): one survey per ticket, a
  score from 1 to 5 and a comment, by the mail's link (the link's token stands for the requester, no
  sign-in needed) or on the ticket's page in the portal, until it expires (``SURVEY_DAYS`` after the
  invitation). One answer per ticket: an answered survey is written once (the model refuses a change and
  the database refuses UPDATE and DELETE of answered rows). A reopened and resolved-again ticket keeps the
  survey it has.
- **In the reports.** The scores are the contract's ``satisfaction_score`` measure: when the version in
  force has that measure, a stored report passes the answered scores of the contract's tickets to the
  kernel and keeps them (their canonical form, ``sla/scores.py``) beside its event log, so the figure is
  recomputed offline with ``servicepact report --scores``.
- **Relationship surveys.** A contract's round (a quarter, say) asks the customer's managers how the
  service goes as a whole: a score and a comment each, once.
- **Results.** Per contract, month by month: responses, mean score, the share of resolved tickets that
  answered; and the comments, newest first, for both parties' people who read the contract's reports.
"""
