"""Video translation: target languages, translating a video, and its status."""
