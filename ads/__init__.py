"""Ads: ad places with their campaigns and creatives, and the IT-Guide vendor directory."""
