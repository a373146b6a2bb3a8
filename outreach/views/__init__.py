"""The notice screens: ``notices`` (list, compose with its preview, the notice's page),
``actions`` (approve and schedule, cancel, resend failed deliveries), ``outbox`` (what
the console channel sent), ``groups`` (the village groups) and ``relay`` (notices a
village officer forwards by hand)."""
