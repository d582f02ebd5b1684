"""Problem management: problems raised from recurring incidents, their root causes and workarounds, the
known errors agents match while they triage, and the suggestions of incidents that keep coming back."""
