"""Assets: uploading images, videos and audio to HeyGen's upload host for use in videos and photo avatars."""
