from heygen_core.app import integration

__all__ = ["integration"]
