"""The loan book's screens: ``loans`` (list, detail, apply and the status actions),
``groups`` (savings groups and the program catalogue), ``reports`` (overdue list and the
period report) and ``imports`` (the bank's disbursement list)."""
