"""The sandbox provider itself: Authlib's OpenID Connect server framework on Flask (werkzeug).

Discovery, the authorization-code flow with PKCE (S256 only), client authentication with
``client_secret_post`` or ``client_secret_basic``, RS256-signed ID tokens (a key made at
start, published at ``/jwks``) and ``/userinfo``. Scopes and claims mirror デジタル認証アプリ:
``name``, ``address`` (one string), ``birthdate`` and ``gender``, each behind a scope of
the same name. Codes, tokens and people live in memory; a restart forgets them.

The protocol is Authlib's: the authorization request's checks and error redirects
(``AuthorizationServer``, ``AuthorizationCodeGrant``), client authentication, PKCE
(``CodeChallenge``), the token response and the signed ID token with its ``nonce``,
``at_hash`` and ``auth_time`` (``OpenIDCode``, keys from joserfc), bearer tokens and
``/userinfo`` (``ResourceProtector``, ``UserInfoEndpoint``). What is written here is only:

* the デジタル認証アプリ layer: which claims each scope gives (``SCOPE_CLAIMS``), the consent
  page that says it is a sandbox, the made-up people (``persons``), PKCE required for a
  confidential client and S256 only (Authlib requires it only for public clients), and
  redirect URIs limited to loopback;
* the storage Authlib leaves to the application (it ships mixins, and stores only for
  SQLAlchemy): in-memory ``Client``, ``AuthorizationCode`` and ``Token`` and the hooks that
  save and find them;
* the discovery document: Authlib validates provider metadata but does not build it, so it
  is written out (a test validates it with Authlib's ``OpenIDProviderMetadata``).

Other provider libraries were weighed: idpyoidc 5.0.0 (with cryptojwt, pyOpenSSL,
responses) and pyop 3.5.0 (on oic and the unmaintained pyjwkest) are configured through
their own session, key and storage abstractions and still need a web server, the consent
page and the claims wired in by hand, so neither would shorten this module, and both would
add dependencies to ``make demo``; Authlib (with Flask and joserfc) is already installed
for it.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, TokenMixin
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin, UserInfoEndpoint
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, Response, jsonify, render_template_string, request
from joserfc.jwk import RSAKey
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from machi.core.sandbox_idp.persons import SANDBOX_PERSONS

#: What each scope discloses; ``openid`` only gives the subject identifier.
SCOPE_CLAIMS: dict[str, tuple[str, ...]] = {
    "openid": ("sub",),
    "name": ("name", "name_kana"),
    "address": ("address",),
    "birthdate": ("birthdate",),
    "gender": ("gender",),
}
SCOPES_SUPPORTED = list(SCOPE_CLAIMS)
CLAIMS_SUPPORTED = sorted({claim for claims in SCOPE_CLAIMS.values() for claim in claims})

#: Hosts a redirect URI may point at (plain http: loopback and Django's test client).
DEFAULT_REDIRECT_HOSTS = frozenset({"127.0.0.1", "localhost", "testserver"})

CODE_LIFETIME = 600


def copy_users(users: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    return {login: dict(claims) for login, claims in users.items()}


LOGIN_PAGE = """<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>サンドボックス認証（試験用）― 情報提供への同意</title>
<style>
body { font-family: system-ui, sans-serif; line-height: 1.7; margin: 0; color: #1a1a1a; }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
.sandbox { border: 3px solid #b35c00; background: #fff4e5; padding: .75rem 1rem; }
.sandbox strong { color: #8a4500; }
label { display: block; font-weight: bold; }
select, button { font-size: 1rem; min-height: 2.75rem; }
button { padding: .5rem 1rem; margin: .25rem .5rem .25rem 0; }
</style>
</head>
<body>
<main>
<h1>サンドボックス認証（試験用）</h1>
<div class="sandbox" role="note">
<p><strong>これは試験用のサンドボックスです。本物のデジタル認証アプリではありません。</strong>
マイナンバーカードは読み取りません。架空の人物を選んで「同意して続ける」を押すと、
その人の情報が申請先に渡ります。</p>
<p lang="en">Sandbox for demos and tests: this is not the real デジタル認証アプリ
(Digital Authentication App) and no My Number card is read. Choose a made-up person and
press 「同意して続ける」 (consent and continue).</p>
</div>
{% if error %}<p role="alert">{{ error }}</p>{% endif %}
<p>次の情報を接続先（{{ client_id }}）に提供します。</p>
<ul>{% for scope in scopes %}<li>{{ scope_labels.get(scope, scope) }}</li>{% endfor %}</ul>
<form method="post" action="{{ action }}">
<p>
<label for="login">利用者</label>
<select id="login" name="login">
{% for login, claims in users %}<option value="{{ login }}">{{ claims.get("name", login) }}
({{ login }})</option>
{% endfor %}</select>
</p>
<p>
<button type="submit" name="decision" value="consent">同意して続ける</button>
<button type="submit" name="decision" value="cancel">キャンセル</button>
</p>
</form>
</main>
</body>
</html>
"""

#: What the consent page lists for each scope.
SCOPE_LABELS = {
    "openid": "利用者識別番号",
    "name": "氏名",
    "address": "住所",
    "birthdate": "生年月日",
    "gender": "性別",
}

ERROR_PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<title>サンドボックス認証（試験用）― エラー</title></head>
<body><main><h1>認可リクエストを処理できません</h1>
<p role="alert">{{ error }}: {{ description }}</p></main></body></html>
"""


@dataclass
class Client(ClientMixin):
    """The one registered confidential client (machi)."""

    client_id: str
    client_secret: str
    redirect_hosts: frozenset[str] = DEFAULT_REDIRECT_HOSTS
    client_metadata: dict[str, Any] = field(default_factory=dict)

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None  # redirect_uri is required in every authorization request

    def get_allowed_scope(self, scope: str | None) -> str:
        return " ".join(s for s in (scope or "").split() if s in SCOPE_CLAIMS)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        parts = urlsplit(redirect_uri)
        return (
            parts.scheme == "http"
            and parts.hostname in self.redirect_hosts
            and not parts.fragment
            and not parts.username
        )

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(self.client_secret.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if endpoint == "token":
            return method in ("client_secret_post", "client_secret_basic")
        return True

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    login: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def is_expired(self) -> bool:
        return time.time() > self.auth_time + CODE_LIFETIME


@dataclass
class Token(TokenMixin):
    access_token: str
    client: Client
    login: str
    scope: str
    expires_in: int
    issued_at: float = field(default_factory=time.time)
    revoked: bool = False

    def check_client(self, client: ClientMixin) -> bool:
        return client.get_client_id() == self.client.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return time.time() > self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> str:
        return self.login

    def get_client(self) -> Client:
        return self.client


class ProviderState:
    """Everything the provider remembers; shared by the Flask views and Authlib hooks."""

    def __init__(self, *, client: Client, users: Mapping[str, Mapping[str, str]]) -> None:
        self.lock = threading.Lock()
        self.issuer = ""
        self.client = client
        self.users = copy_users(users)
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: dict[str, Token] = {}
        self.nonces: set[str] = set()
        self.key = RSAKey.generate_key(
            2048,
            parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"},
            private=True,
        )

    @property
    def kid(self) -> str:
        return str(self.key.kid)

    def claims_for(self, login: str, scope: str) -> dict[str, str]:
        user = self.users[login]
        wanted = {claim for s in scope.split() for claim in SCOPE_CLAIMS.get(s, ())}
        return {claim: value for claim, value in user.items() if claim in wanted}


class _Server(AuthorizationServer):
    def __init__(self, app: Flask, state: ProviderState) -> None:
        self.state = state
        super().__init__(app, query_client=self._client_by_id, save_token=self._token_save)

    def _client_by_id(self, client_id: str) -> Client | None:
        client = self.state.client
        return client if client_id == client.client_id else None

    def _token_save(self, token: dict[str, Any], request: Any) -> None:
        item = Token(
            access_token=token["access_token"],
            client=request.client,
            login=request.user,
            scope=token.get("scope", ""),
            expires_in=int(token.get("expires_in", 3600)),
        )
        with self.state.lock:
            self.state.tokens[item.access_token] = item


class _CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
    server: _Server

    def save_authorization_code(self, code: str, request: Any) -> None:
        data = request.payload.data
        item = AuthorizationCode(
            code=code,
            client_id=request.client.client_id,
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            login=request.user,
            nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )
        with self.server.state.lock:
            self.server.state.codes[code] = item
            if item.nonce:
                self.server.state.nonces.add(item.nonce)

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        item = self.server.state.codes.get(code)
        if item and item.client_id == client.client_id and not item.is_expired():
            return item
        return None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        with self.server.state.lock:
            self.server.state.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> str | None:
        login = authorization_code.login
        return login if login in self.server.state.users else None


class _RequirePKCE(CodeChallenge):
    """PKCE is mandatory here, and only with S256 (as デジタル認証アプリ requires)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: missing 'code_challenge'.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Only code_challenge_method=S256 is supported.")
        super().validate_code_challenge(grant, redirect_uri)


class _OpenIDCode(OpenIDCode):
    def __init__(self, state: ProviderState) -> None:
        super().__init__(require_nonce=False)
        self.state = state

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        return nonce in self.state.nonces

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        return self.state.key

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": "RS256", "typ": "JWT", "kid": self.state.kid}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        return {"iss": self.state.issuer, "aud": client.client_id}

    def generate_user_info(self, user: str, scope: str) -> dict[str, str]:
        return self.state.claims_for(user, scope)


class _UserInfo(UserInfoEndpoint):
    def __init__(self, state: ProviderState, resource_protector: ResourceProtector) -> None:
        super().__init__(resource_protector=resource_protector)
        self.state = state

    def get_issuer(self) -> str:
        return self.state.issuer

    def generate_user_info(self, user: str, scope: str) -> dict[str, str]:
        return self.state.claims_for(user, scope)

    def resolve_private_key(self) -> RSAKey:
        return self.state.key


class _BearerToken(BearerTokenValidator):
    def __init__(self, state: ProviderState) -> None:
        super().__init__()
        self.state = state

    def authenticate_token(self, token_string: str) -> Token | None:
        return self.state.tokens.get(token_string)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


def create_app(state: ProviderState) -> Flask:
    """The provider's Flask app; ``state.issuer`` must be set before it serves."""
    app = Flask("machi-sandbox-idp")
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"authorization_code": 600}
    server = _Server(app, state)
    server.register_grant(_CodeGrant, [_RequirePKCE(required=True), _OpenIDCode(state)])
    protector = ResourceProtector()
    protector.register_token_validator(_BearerToken(state))
    server.register_endpoint(_UserInfo(state, protector))

    def error_page(error: OAuth2Error) -> Response | tuple[str, int]:
        if error.redirect_uri:  # the client and its redirect URI are known: tell it
            return server.handle_error_response(None, error)
        html = render_template_string(
            ERROR_PAGE, error=error.error, description=error.description or ""
        )
        return html, 400

    @app.get("/.well-known/openid-configuration")
    def discovery() -> Response:
        issuer = state.issuer
        return jsonify(
            {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "userinfo_endpoint": f"{issuer}/userinfo",
                "jwks_uri": f"{issuer}/jwks",
                "scopes_supported": SCOPES_SUPPORTED,
                "claims_supported": CLAIMS_SUPPORTED,
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "grant_types_supported": ["authorization_code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "client_secret_basic",
                ],
                "code_challenge_methods_supported": ["S256"],
                "claims_parameter_supported": False,
                "request_parameter_supported": False,
            }
        )

    @app.get("/jwks")
    def jwks() -> Response:
        return jsonify({"keys": [state.key.as_dict(private=False)]})

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize() -> Any:
        if request.method == "GET":
            try:
                grant = server.get_consent_grant(end_user=None)
            except OAuth2Error as error:
                return error_page(error)
            return render_template_string(
                LOGIN_PAGE,
                action=request.full_path,
                client_id=grant.client.client_id,
                scopes=grant.request.scope.split(),
                scope_labels=SCOPE_LABELS,
                users=list(state.users.items()),
                error=None,
            )
        login = request.form.get("login", "")
        cancelled = request.form.get("decision") == "cancel"
        if not cancelled and login not in state.users:
            html = render_template_string(
                LOGIN_PAGE,
                action=request.full_path,
                client_id=state.client.client_id,
                scopes=[],
                scope_labels=SCOPE_LABELS,
                users=list(state.users.items()),
                error="利用者が見つかりません。",
            )
            return html, 400
        try:
            grant = server.get_consent_grant(end_user=None if cancelled else login)
        except OAuth2Error as error:
            return error_page(error)
        return server.create_authorization_response(
            grant_user=None if cancelled else login, grant=grant
        )

    @app.post("/token")
    def token() -> Response:
        return server.create_token_response()

    @app.route("/userinfo", methods=["GET", "POST"])
    def userinfo() -> Response:
        return server.create_endpoint_response("userinfo")

    return app


class SandboxProvider:
    """A running provider. ``users`` is live: edit it to change what the next login returns."""

    def __init__(
        self,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        users: Mapping[str, Mapping[str, str]] = SANDBOX_PERSONS,
        redirect_hosts: frozenset[str] = DEFAULT_REDIRECT_HOSTS,
    ) -> None:
        client = Client(
            client_id=client_id or f"machi-sandbox-{secrets.token_hex(4)}",
            client_secret=client_secret or secrets.token_urlsafe(32),
            redirect_hosts=redirect_hosts,
        )
        self._initial_users = copy_users(users)
        self.state = ProviderState(client=client, users=users)
        self.app = create_app(self.state)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def issuer(self) -> str:
        return self.state.issuer

    @property
    def client_id(self) -> str:
        return self.state.client.client_id

    @property
    def client_secret(self) -> str:
        return self.state.client.client_secret

    @property
    def users(self) -> dict[str, dict[str, str]]:
        return self.state.users

    @property
    def authorization_endpoint(self) -> str:
        return f"{self.issuer}/authorize"

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/token"

    @property
    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.state.key.as_dict(private=False)]}

    def start(self, host: str = "127.0.0.1", port: int = 0) -> SandboxProvider:
        """Serve in a background thread. Port 0 lets the OS pick a free port while
        binding, so there is no race; ``OSError`` when the port is taken."""
        server = make_server(host, port, self.app, threaded=True, request_handler=_QuietHandler)
        self.state.issuer = f"http://{host}:{server.port}"
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name="sandbox-idp", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def reset(self) -> None:
        """Forget codes and tokens and restore the initial people."""
        with self.state.lock:
            self.state.codes.clear()
            self.state.tokens.clear()
            self.state.nonces.clear()
            self.state.users.clear()
            self.state.users.update(copy_users(self._initial_users))

    def __enter__(self) -> SandboxProvider:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
