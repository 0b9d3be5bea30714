from heygen_actions import discovery, photo_avatars, videos

__all__ = ["discovery", "photo_avatars", "videos"]
