"""Rate limits: cost-weighted token buckets per caller and per client IP (issue 6).

buckets.py (the protocol and the all-or-none decision), local.py (in-process), redis_buckets.py
(shared through Redis), fallback.py (Redis down -> local), limiter.py (who pays what),
answers.py (429, Retry-After, RateLimit-* headers), extension.py (the strawberry hook).
"""
