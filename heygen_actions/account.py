"""The connected account: remaining quota and credits, and who is connected."""
