from .heygen import integration

__all__ = ["integration"]
