from heygen_actions import discovery, photo_avatars, results, videos

__all__ = ["discovery", "photo_avatars", "results", "videos"]
