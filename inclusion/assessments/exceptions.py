class AssessmentError(ValueError):
    """Input that cannot be saved; the message is for the user."""
