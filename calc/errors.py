"""The one exception users see for bad input."""


class InputError(ValueError):
    """Bad input: the message names the field or file, what is wrong and what is accepted."""
