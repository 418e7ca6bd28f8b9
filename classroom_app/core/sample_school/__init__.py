"""A made-up school year of records, for trying the app and measuring it."""
