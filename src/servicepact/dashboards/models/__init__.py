"""Dashboards read the desk's, the live clocks' and the stored reports' rows; they keep no rows of their own."""
