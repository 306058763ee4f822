"""Alerts: readers follow a company, team, person or a direction of moves and hear of each
approved move by e-mail (through an outbox in PostgreSQL) and by Atom.

- ``models``: Subscriber (one e-mail address), Follow (what it follows, how often), Delivery
  (the outbox: one row per address and move).
- ``services``: follow, confirm, stop, suppress; the fan-out of an approved move.
- ``outbox``: the sender that claims due rows with SKIP LOCKED and hands them to Django's
  e-mail backend; ``messages`` renders them; ``tokens`` signs the links they carry.
- ``atom``: the Atom feeds; ``views``/``urls``: the pages under /alerts/.
"""
