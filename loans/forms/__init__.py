"""Forms of the loan book, one module per group of screens: ``loans`` (apply, the status
actions, repayments, the list filters), ``groups``, ``reports`` and ``imports``. Import from
the module (``from loans.forms.loans import LoanApplyForm``)."""
