"""The exceptions users see: bad input, and an optional feature whose extra is not installed."""


class InputError(ValueError):
    """Bad input: the message names the field or file, what is wrong and what is accepted."""


class MissingExtra(ImportError):
    """An optional feature whose package is not installed: the message names the package and the extra that
    brings it, e.g. ``calc.sobol needs SALib: pip install "sanctions-relief[uncertainty]"``."""

    def __init__(self, feature: str, package: str, extra: str, alternative: str = "") -> None:
        message = f'{feature} needs {package}: pip install "sanctions-relief[{extra}]"'
        super().__init__(f"{message}; {alternative}" if alternative else message)
