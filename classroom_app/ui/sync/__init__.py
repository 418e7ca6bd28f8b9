"""Sending records to the district: the sync page and the class hub."""
