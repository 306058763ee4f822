"""Flows: who joined and left whom, over time, counted in PostgreSQL at the precision the
records give. ``periods`` cuts ranges, ``filters`` says which moves a number counts (the
moves list behind every number uses the same predicates), ``company`` and ``matrix`` and
``trends`` and ``lag`` aggregate, ``charts`` draws, ``export`` writes CSV and JSON."""
