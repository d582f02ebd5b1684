from servicepact.history.models.entry import HistoryEntry, HistoryHead

__all__ = ["HistoryEntry", "HistoryHead"]
