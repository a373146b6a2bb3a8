"""Forms of trainings, one module per screen family."""
