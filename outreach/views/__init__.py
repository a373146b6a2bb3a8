"""The notice screens: ``notices`` (list, compose with its preview, the notice's page),
``actions`` (approve and schedule, cancel, resend failed deliveries) and ``outbox``
(what the console channel sent, and the village groups)."""
