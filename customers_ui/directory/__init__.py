"""Each partner's business directory: kept in the database, filled from Thredfi, searched here.

sync.py fills it (pages in parallel, one sync per partner at a time across processes) and
writer.py writes what it reads (multi-row upserts); refresh.py decides when and starts a refresh in
the background; access.py says who may read it; selectors.py reads it; services.py are the use
cases its pages and the home page call.
"""
