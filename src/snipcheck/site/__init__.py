"""The site side: the MkDocs hook, badges, the status page and the search split."""
