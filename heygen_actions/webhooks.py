"""Webhooks: HeyGen's event types, endpoint management, and checking signatures of deliveries."""
