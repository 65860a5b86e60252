"""The channel layer of the live updates over WebSockets (realestate/core/live.py,
realestate/notifications/live.py), as ``CHANNEL_LAYERS``.

With ``REDIS_URL``: Redis pub/sub, so that job processes and shells reach the browsers of every
web process. Several deployments (or test runs) may share one Redis, and pub/sub ignores its
database number: each names its own ``CHANNELS_PREFIX``. Without Redis: in memory, one process
only (the pages poll for what the jobs do).
"""

from __future__ import annotations


def channel_layers(env, redis_url: str) -> dict:
    if not redis_url:
        return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [redis_url],
                "prefix": env.str("CHANNELS_PREFIX", default="realestate-ws"),
            },
        }
    }
