"""The block storage service layer: the only code that changes volume records (house rule)."""
