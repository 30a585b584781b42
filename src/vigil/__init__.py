"""vigil: documentation of arbitrary detention and enforced disappearance."""
__version__ = "0.1.0"
