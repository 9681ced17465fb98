class PracticeError(ValueError):
    """A rule stopped the change; the message is translated and can be shown as it is."""
