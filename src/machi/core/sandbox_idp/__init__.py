"""A sandbox OpenID Connect provider: the demo's card sign-in, and the tests' provider.

It speaks what デジタル認証アプリ speaks to a relying party (authorization-code flow with
PKCE S256, RS256 ID tokens, ``/userinfo`` with the 基本4情報), but it reads no My Number
card: the person signing in picks one of the made-up ``persons`` and consents. Its pages
say so on every screen. ``make demo`` runs it beside the web server (``manage.py
demo_serve``); the tests run it on loopback (``machi.testing.oidc_provider``).

Never configure it in production: ``MACHI_OIDC_SANDBOX`` is refused there (check
machi.E004), and ``provider`` needs Flask and Authlib, which only the development
dependencies install. Import ``persons`` freely; import ``provider`` only to run it.
"""
