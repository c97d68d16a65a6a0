"""The analysis pages of the budget app: figures and charts, the indicator timeline, the execution report."""
