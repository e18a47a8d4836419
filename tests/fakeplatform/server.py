"""A fake Graph API, YouTube Data API and LinkedIn REST API on 127.0.0.1, for tests over real HTTP.

Formats follow what the platforms document (see moderation/platforms/connectors/*.py for what was verified);
answers are built from the recorded response shapes in ``fixtures/`` (``shapes.load``), as the real APIs give
them: LinkedIn lists first-level comments with references to their replies (read per comment), YouTube embeds
at most five replies in a thread (the rest through ``comments.list``), Instagram media and Facebook posts are
readable by id, and both OAuth token endpoints refresh access tokens."""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote

from . import shapes

DEFAULT_TOKEN = "fake-valid-token"
EMBEDDED_REPLIES_MAX = 5  # commentThreads embeds at most this many replies (the rest: comments.list)
GOOGLE_TOKEN_PATH = "/token"
LINKEDIN_TOKEN_PATH = "/oauth/v2/accessToken"


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # as sent, without the query string (URNs stay URL-encoded)
    query: dict
    form: dict
    body: bytes
    at: float  # time.monotonic()
    headers: dict = field(default_factory=dict)


@dataclass
class _Failure:
    prefix: str
    remaining: int
    kind: str
    code: int
    subcode: int | None
    http_status: int | None
    headers: dict
    reason: str
    delay: float
    message: str | None


@dataclass
class _Response:
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)


def _json(status: int, data: object, headers: dict | None = None) -> _Response:
    return _Response(status, json.dumps(data).encode(), {"Content-Type": "application/json", **(headers or {})})


def _meta_error(
    code: int, message: str, *, subcode: int | None = None, status: int = 400, kind: str = "OAuthException"
):
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AFakeTraceId"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return _json(status, {"error": error})


def _youtube_error(status: int, reason: str, message: str | None = None) -> _Response:
    domain = "youtube.quota" if reason == "quotaExceeded" else "youtube.comment"
    text = message or f"The request failed: {reason}."
    return _json(
        status,
        {
            "error": {
                "code": status,
                "message": text,
                "errors": [{"message": text, "domain": domain, "reason": reason}],
            }
        },
    )


def _linkedin_error(status: int, code: str, message: str, service_code: int = 0) -> _Response:
    return _json(status, {"status": status, "serviceErrorCode": service_code, "code": code, "message": message})


def _not_found(object_id: str, verb: str = "get") -> _Response:
    return _meta_error(
        100,
        f"Unsupported {verb} request. Object with ID '{object_id}' does not exist, cannot be loaded due to "
        "missing permissions, or does not support this operation.",
        subcode=33,
        kind="GraphMethodException",
    )


def _iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(seconds))


_GRAPH = re.compile(r"^/v\d+\.\d+/(?P<rest>.+)$")
_LINKEDIN = re.compile(r"^/rest/socialActions/(?P<urn>[^/]+)/comments(?:/(?P<id>[^/]+))?$")


class FakePlatform:
    """State is plain attributes, to seed and inspect from tests:

    - ``comments``: id → dict (``platform``, text, author, ``is_hidden``, ``deleted``, ``moderation_status``)
    - ``blocked``: set of (page or channel id, user id)
    - ``valid_tokens``: tokens accepted; any other gets the platform's token error
    - ``graph_headers``: extra headers on every Graph API answer (usage headers)
    - ``calls``: every request received, in order
    """

    def __init__(self, *, valid_tokens: tuple[str, ...] = (DEFAULT_TOKEN,), timeout_delay: float = 3.0) -> None:
        self.comments: dict[str, dict] = {}
        self.blocked: set[tuple[str, str]] = set()
        self.valid_tokens = set(valid_tokens)
        self.graph_headers: dict[str, str] = {}
        self.timeout_delay = timeout_delay
        self.youtube_threads: list[str] = []
        # CDN: path → (bytes, content type, chunked); see add_media()
        self.media: dict[str, tuple[bytes, str, bool]] = {}
        self.youtube_replies: dict[str, list[str]] = {}  # thread id -> reply ids, in order
        self.youtube_videos: dict[str, dict] = {}
        self.posts: dict[str, dict] = {}  # Facebook posts and Instagram media, by id
        self.refresh_tokens: dict[str, dict] = {}  # refresh token -> {client_id, client_secret, platform}
        self.issued_tokens: list[str] = []
        self._calls: list[Call] = []
        self._failures: list[_Failure] = []
        self._lock = threading.RLock()
        self._ids = itertools.count(1001)
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle --------------------------------------------------------------------------------------------

    def start(self) -> FakePlatform:
        self._stopping.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> FakePlatform:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakePlatform is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def new_id(self) -> str:
        return str(next(self._ids))

    # failure injection --------------------------------------------------------------------------------------

    def fail_next(
        self,
        path_prefix: str,
        *,
        times: int = 1,
        kind: str = "meta_error",
        code: int = 17,
        http_status: int | None = None,
        headers: dict | None = None,
        subcode: int | None = None,
        reason: str = "quotaExceeded",
        delay: float | None = None,
        message: str | None = None,
    ) -> None:
        """The next ``times`` requests whose path starts with ``path_prefix`` fail.

        kinds: "meta_error" (Graph error body with ``code``/``subcode``, HTTP 400 by default), "http" (bare
        status, 500 by default), "timeout" (no answer for ``delay`` seconds), "youtube_error" (``reason``,
        HTTP 403 by default), "linkedin_error" (HTTP 429 by default)."""
        if kind not in ("meta_error", "http", "timeout", "youtube_error", "linkedin_error"):
            raise ValueError(f"unknown failure kind {kind!r}")
        with self._lock:
            self._failures.append(
                _Failure(
                    path_prefix,
                    times,
                    kind,
                    code,
                    subcode,
                    http_status,
                    dict(headers or {}),
                    reason,
                    self.timeout_delay if delay is None else delay,
                    message,
                )
            )

    def _take_failure(self, path: str) -> _Failure | None:
        for failure in self._failures:
            if failure.remaining > 0 and path.startswith(failure.prefix):
                failure.remaining -= 1
                return failure
        return None

    def _failure_response(self, failure: _Failure) -> _Response:
        if failure.kind == "meta_error":
            response = _meta_error(
                failure.code,
                failure.message or f"(#{failure.code}) Injected error",
                subcode=failure.subcode,
                status=failure.http_status or 400,
            )
        elif failure.kind == "youtube_error":
            response = _youtube_error(failure.http_status or 403, failure.reason, failure.message)
        elif failure.kind == "linkedin_error":
            status = failure.http_status or 429
            response = _linkedin_error(status, failure.reason, failure.message or "Injected error", failure.code)
        else:  # "http", and "timeout" once the delay is over
            response = _Response(
                failure.http_status or (504 if failure.kind == "timeout" else 500),
                b"<html>Server Error</html>",
                {"Content-Type": "text/html"},
            )
        response.headers.update(failure.headers)
        return response

    # seeding ------------------------------------------------------------------------------------------------

    def add_media(self, name: str, data: bytes, content_type: str = "image/jpeg", *, chunked: bool = False) -> str:
        """A file on the fake CDN; returns its URL the way Meta's CDN shapes them (a path under ``/v/…`` and
        the expiring signature ``oh``/``oe`` in the query, which the fake ignores). ``chunked`` sends it
        without Content-Length (the size is known only by reading it)."""
        path = f"/cdn/v/t39.30808-6/{name}"
        with self._lock:
            self.media[path] = (data, content_type, chunked)
        return f"{self.url}{path}?_nc_cat=1&oh=00_AfFakeSignature&oe=6700AB12"

    def redirect_url(self, target: str, *, status: int = 302) -> str:
        """A CDN address that answers with a redirect to ``target`` (any URL, checked by the fetcher)."""
        from urllib.parse import quote

        return f"{self.url}/cdn/redirect?status={status}&to={quote(target, safe='')}"

    def add_comment(
        self,
        comment_id: str | None = None,
        *,
        platform: str = "facebook",
        text: str = "Hej kommunen!",
        author_id: str = "2001",
        author_name: str = "Anna Andersson",
        post_id: str = "111_222",
        parent_id: str | None = None,
        created_time: int = 1_700_000_000,
    ) -> str:
        """A Facebook or Instagram comment the Graph API knows."""
        comment_id = comment_id or self.new_id()
        with self._lock:
            self.comments[comment_id] = {
                "id": comment_id,
                "platform": platform,
                "text": text,
                "author_id": author_id,
                "author_name": author_name,
                "post_id": post_id,
                "parent_id": parent_id,
                "created_time": created_time,
                "is_hidden": False,
                "deleted": False,
            }
        return comment_id

    def _youtube_comment(
        self,
        comment_id: str,
        channel_id: str,
        video_id: str,
        text: str,
        author_channel_id: str,
        author_name: str,
        status: str,
        published_at: str,
        parent_id: str | None,
    ) -> None:
        self.comments[comment_id] = {
            "id": comment_id,
            "platform": "youtube",
            "channel_id": channel_id,
            "video_id": video_id,
            "text": text,
            "author_id": author_channel_id,
            "author_name": author_name,
            "moderation_status": status,
            "published_at": published_at,
            "parent_id": parent_id,
            "deleted": False,
        }

    def add_youtube_video(self, video_id: str = "vid00000001", *, channel_id: str = "UCkommun",
                          title: str = "Nya badhuset", description: str = "Så blir det nya badhuset.",
                          published_at: str = "2024-04-30T12:00:00Z") -> str:
        with self._lock:
            self.youtube_videos[video_id] = {"id": video_id, "channel_id": channel_id, "title": title,
                                             "description": description, "published_at": published_at}
        return video_id

    def add_youtube_thread(
        self,
        *,
        channel_id: str = "UCkommun",
        video_id: str = "vid00000001",
        text: str = "Bra video!",
        author_channel_id: str = "UCviewer1",
        author_name: str = "Tittare",
        moderation_status: str = "published",
        published_at: str = "2024-05-01T10:00:00Z",
        replies: tuple[dict, ...] | list[dict] = (),
        reply_count: int = 0,
    ) -> str:
        """A comment thread; ``replies`` are dicts with ``text`` and optionally ``author_channel_id``,
        ``author_name``, ``published_at``; ``reply_count`` adds that many generated replies. The video is
        created (the channel's own) if the fake does not know it. Returns the thread id (= the top-level
        comment's id)."""
        with self._lock:
            if video_id not in self.youtube_videos:
                self.add_youtube_video(video_id, channel_id=channel_id, title=f"Video {video_id}")
            thread_id = f"Ugz{self.new_id()}"
            self._youtube_comment(
                thread_id,
                channel_id,
                video_id,
                text,
                author_channel_id,
                author_name,
                moderation_status,
                published_at,
                None,
            )
            generated = [{"text": f"Svar nummer {n}", "author_channel_id": f"UCreplier{n % 37}"}
                         for n in range(1, reply_count + 1)]
            self.youtube_replies[thread_id] = []
            for n, reply in enumerate([*replies, *generated], start=1):
                reply_id = f"{thread_id}.{n}"
                self._youtube_comment(
                    reply_id,
                    channel_id,
                    video_id,
                    reply["text"],
                    reply.get("author_channel_id", "UCviewer2"),
                    reply.get("author_name", "Svarare"),
                    moderation_status,
                    reply.get("published_at", published_at),
                    thread_id,
                )
                self.youtube_replies[thread_id].append(reply_id)
            self.youtube_threads.append(thread_id)
        return thread_id

    def add_post(self, post_id: str, *, platform: str = "facebook", text: str = "Badhuset öppnar på måndag.",
                 author_id: str = "137542570280222", author_name: str = "Exempelstads kommun",
                 created_time: int = 1_700_000_000) -> str:
        """A Facebook post or an Instagram media the Graph API can read by id."""
        with self._lock:
            self.posts[post_id] = {"id": post_id, "platform": platform, "text": text, "author_id": author_id,
                                   "author_name": author_name, "created_time": created_time}
        return post_id

    def add_refresh_token(self, refresh_token: str, *, platform: str, client_id: str = "client-id",
                          client_secret: str = "client-secret") -> None:
        """A refresh token the token endpoint of ``platform`` ("youtube" or "linkedin") accepts."""
        with self._lock:
            self.refresh_tokens[refresh_token] = {"platform": platform, "client_id": client_id,
                                                  "client_secret": client_secret}

    def add_linkedin_comment(
        self,
        post_urn: str = "urn:li:activity:7000000000000000001",
        *,
        text: str = "Intressant!",
        actor: str = "urn:li:person:abc123",
        comment_id: str | None = None,
        created_ms: int = 1_700_000_000_000,
        parent_comment: str | None = None,
    ) -> str:
        comment_id = comment_id or self.new_id()
        with self._lock:
            self.comments[comment_id] = {
                "id": comment_id,
                "platform": "linkedin",
                "object": post_urn,
                "text": text,
                "actor": actor,
                "created_ms": created_ms,
                "parent_comment": parent_comment,
                "deleted": False,
            }
        return comment_id

    # dispatch -----------------------------------------------------------------------------------------------

    def _handle(self, call: Call) -> _Response:
        with self._lock:
            self._calls.append(call)
            failure = self._take_failure(call.path)
        if failure is not None:
            if failure.kind == "timeout":
                self._stopping.wait(failure.delay)
            return self._failure_response(failure)
        with self._lock:
            if _GRAPH.match(call.path):
                response = self._graph(call)
                response.headers.update(self.graph_headers)
                return response
            if call.path.startswith("/youtube/v3/"):
                return self._youtube(call)
            if call.path.startswith("/rest/"):
                return self._linkedin(call)
            if call.path.startswith("/cdn/"):
                return self._cdn(call)
            if call.path in (GOOGLE_TOKEN_PATH, LINKEDIN_TOKEN_PATH) and call.method == "POST":
                return self._token(call)
        return _json(404, {"error": "not found"})

    def _cdn(self, call: Call) -> _Response:
        if call.method != "GET":
            return _Response(405, b"", {"Allow": "GET"})
        if call.path == "/cdn/redirect":
            return _Response(int(call.query.get("status", "302")), b"", {"Location": call.query.get("to", "")})
        found = self.media.get(call.path)
        if found is None:
            # what Meta's CDN answers for an unknown or expired address
            return _Response(404, b"", {"Content-Type": "text/html"})
        data, content_type, chunked = found
        headers = {"Content-Type": content_type, "Cache-Control": "max-age=1209600"}
        if chunked:
            headers["Transfer-Encoding"] = "chunked"
        return _Response(200, data, headers)


    # OAuth token endpoints ------------------------------------------------------------------------------

    def _token(self, call: Call) -> _Response:
        platform = "youtube" if call.path == GOOGLE_TOKEN_PATH else "linkedin"
        form = call.form
        if form.get("grant_type") != "refresh_token":
            return _json(400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type."})
        known = self.refresh_tokens.get(form.get("refresh_token", ""))
        if known is None or known["platform"] != platform:
            return _json(400, shapes.load("oauth/invalid_grant.json"))
        if (form.get("client_id"), form.get("client_secret")) != (known["client_id"], known["client_secret"]):
            return _json(401, {"error": "invalid_client", "error_description": "The OAuth client was not found."})
        access = f"{platform}-access-{self.new_id()}"
        self.valid_tokens.add(access)
        self.issued_tokens.append(access)
        if platform == "youtube":
            body = shapes.load("oauth/google_token.json")
            body["access_token"] = access
        else:
            body = shapes.load("oauth/linkedin_token.json")
            body.update(access_token=access, refresh_token=form["refresh_token"])
        return _json(200, body)

    @staticmethod
    def _bearer(call: Call) -> str | None:
        value = {k.lower(): v for k, v in call.headers.items()}.get("authorization", "")
        return value[7:] if value.startswith("Bearer ") else None

    # Graph API ----------------------------------------------------------------------------------------------

    def _graph(self, call: Call) -> _Response:
        params = {**call.query, **call.form}
        if params.get("access_token", self._bearer(call)) not in self.valid_tokens:
            return _meta_error(190, "Invalid OAuth access token - Cannot parse access token")
        segments = [unquote(s) for s in _GRAPH.match(call.path)["rest"].split("/")]
        node, edge = segments[0], (segments[1] if len(segments) > 1 else None)
        if len(segments) > 2:
            return _meta_error(100, "Unknown path components", kind="OAuthException")
        if edge == "blocked":
            return self._graph_blocked(call.method, node, params)
        if node in self.posts and edge is None and call.method == "GET":
            return self._graph_post(self.posts[node], params)
        comment = self.comments.get(node)
        if comment is None or comment["deleted"] or comment["platform"] not in ("facebook", "instagram"):
            return _not_found(node, call.method.lower())
        if edge is None:
            return self._graph_comment(call.method, comment, params)
        if call.method == "POST" and (edge, comment["platform"]) in (
            ("comments", "facebook"),
            ("replies", "instagram"),
        ):
            if not params.get("message"):
                return _meta_error(100, "(#100) Missing message")
            new_id = self.add_comment(
                platform=comment["platform"],
                text=params["message"],
                author_id="page",
                author_name="Kommunen",
                post_id=comment["post_id"],
                parent_id=node,
            )
            return _json(200, {"id": new_id})
        return _meta_error(100, f"(#100) Unsupported {call.method} on edge {edge!r}")

    def _graph_comment(self, method: str, comment: dict, params: dict) -> _Response:
        if method == "GET":
            if comment["platform"] == "instagram":
                data = {
                    "id": comment["id"],
                    "text": comment["text"],
                    "username": comment["author_name"],
                    "from": {"id": comment["author_id"], "username": comment["author_name"]},
                    "hidden": comment["is_hidden"],
                    "timestamp": _iso(comment["created_time"]),
                    "media": {"id": comment["post_id"]},
                }
                if comment["parent_id"]:
                    data["parent_id"] = comment["parent_id"]
            else:
                data = {
                    "id": comment["id"],
                    "message": comment["text"],
                    "from": {"id": comment["author_id"], "name": comment["author_name"]},
                    "created_time": _iso(comment["created_time"]),
                    "is_hidden": comment["is_hidden"],
                    "can_hide": True,
                    "can_remove": True,
                    "permalink_url": f"https://www.facebook.com/{comment['id']}",
                }
                if comment["parent_id"]:
                    data["parent"] = {"id": comment["parent_id"]}
            wanted = set(params.get("fields", "").split(",")) - {""}
            return _json(200, {k: v for k, v in data.items() if not wanted or k in wanted or k == "id"})
        if method == "DELETE":
            comment["deleted"] = True
            return _json(200, {"success": True})
        flag = "hide" if comment["platform"] == "instagram" else "is_hidden"
        if params.get(flag) not in ("true", "false"):
            return _meta_error(100, f"(#100) Param {flag} must be a boolean")
        comment["is_hidden"] = params[flag] == "true"
        return _json(200, {"success": True})

    def _graph_post(self, post: dict, params: dict) -> _Response:
        if post["platform"] == "instagram":
            data = shapes.load("meta/instagram_media.json")
            data.update(id=post["id"], caption=post["text"], timestamp=_iso(post["created_time"]),
                        username=post["author_name"], permalink=f"https://www.instagram.com/p/{post['id']}/",
                        media_url=f"https://scontent.cdninstagram.com/v/{post['id']}.jpg")
        else:
            data = {"id": post["id"], "message": post["text"], "created_time": _iso(post["created_time"]),
                    "from": {"id": post["author_id"], "name": post["author_name"]},
                    "permalink_url": f"https://www.facebook.com/{post['id']}"}
        wanted = set(params.get("fields", "").split(",")) - {""}
        return _json(200, {k: v for k, v in data.items() if not wanted or k in wanted or k == "id"})

    def _graph_blocked(self, method: str, page_id: str, params: dict) -> _Response:
        if method == "GET":
            return _json(200, {"data": [{"id": user} for page, user in sorted(self.blocked) if page == page_id]})
        user = next((params[k] for k in ("user", "psid", "asid", "uid") if params.get(k)), None)
        if user is None:
            return _meta_error(100, "(#100) One of user, psid, asid or uid is required")
        if method == "POST":
            self.blocked.add((page_id, user))
            return _json(200, {user: True})
        self.blocked.discard((page_id, user))
        return _json(200, {"success": True})

    # YouTube ------------------------------------------------------------------------------------------------

    def _youtube(self, call: Call) -> _Response:
        if self._bearer(call) not in self.valid_tokens:
            return _json(
                401,
                {
                    "error": {
                        "code": 401,
                        "status": "UNAUTHENTICATED",
                        "message": "Request had invalid authentication credentials.",
                        "errors": [
                            {
                                "message": "Invalid Credentials",
                                "domain": "global",
                                "reason": "authError",
                                "location": "Authorization",
                                "locationType": "header",
                            }
                        ],
                    }
                },
            )
        if call.path == "/youtube/v3/commentThreads" and call.method == "GET":
            return self._youtube_threads(call.query)
        if call.path == "/youtube/v3/comments" and call.method == "GET":
            return self._youtube_comments(call.query)
        if call.path == "/youtube/v3/videos" and call.method == "GET":
            return self._youtube_videos(call.query)
        if call.path == "/youtube/v3/comments/setModerationStatus" and call.method == "POST":
            return self._youtube_moderate(call.query)
        return _youtube_error(404, "notFound")

    def _youtube_comment_resource(self, comment: dict) -> dict:
        resource = shapes.load("youtube/comment.json")
        resource.update(id=comment["id"], etag=f"etag-{comment['id']}")
        snippet = resource["snippet"]
        snippet.update(
            channelId=comment["channel_id"], videoId=comment["video_id"], textDisplay=comment["text"],
            textOriginal=comment["text"], authorDisplayName=comment["author_name"],
            authorChannelUrl=f"http://www.youtube.com/channel/{comment['author_id']}",
            authorChannelId={"value": comment["author_id"]}, moderationStatus=comment["moderation_status"],
            publishedAt=comment["published_at"], updatedAt=comment["published_at"],
        )
        if comment["parent_id"]:
            snippet["parentId"] = comment["parent_id"]
        else:
            snippet.pop("parentId")
        return resource

    @staticmethod
    def _page_params(query: dict, default: int = 20) -> tuple[int, int] | _Response:
        try:
            max_results = int(query.get("maxResults", str(default)))
            offset = (
                int(base64.urlsafe_b64decode(query["pageToken"]).decode().removeprefix("offset:"))
                if query.get("pageToken")
                else 0
            )
        except ValueError:
            return _youtube_error(400, "invalidPageToken")
        if not 1 <= max_results <= 100:
            return _youtube_error(400, "invalidParameter", "maxResults must be between 1 and 100.")
        return max_results, offset

    @staticmethod
    def _list_body(template: str, items: list, total: int, offset: int, max_results: int) -> dict:
        body = shapes.load(template)
        body.update(items=items, pageInfo={"totalResults": total, "resultsPerPage": max_results})
        if offset + max_results < total:
            body["nextPageToken"] = base64.urlsafe_b64encode(f"offset:{offset + max_results}".encode()).decode()
        else:
            body.pop("nextPageToken")
        return body

    def _replies_of(self, thread_id: str) -> list[dict]:
        return [c for c in (self.comments[i] for i in self.youtube_replies.get(thread_id, [])) if not c["deleted"]]

    def _youtube_threads(self, query: dict) -> _Response:
        if "snippet" not in query.get("part", "").split(","):
            return _youtube_error(400, "missingRequiredParameter", "No filter selected / part=snippet missing.")
        channel, status = (
            query.get("allThreadsRelatedToChannelId"),
            query.get("moderationStatus", "published"),
        )
        paging = self._page_params(query)
        if isinstance(paging, _Response):
            return paging
        max_results, offset = paging
        matching = [
            t
            for t in self.youtube_threads
            if self.comments[t]["channel_id"] == channel
            and not self.comments[t]["deleted"]
            and self.comments[t]["moderation_status"] == status
        ]
        items = []
        for thread_id in matching[offset : offset + max_results]:
            top = self.comments[thread_id]
            replies = self._replies_of(thread_id)
            item = shapes.load("youtube/comment_thread.json")
            item.update(id=thread_id, etag=f"etag-t-{thread_id}")
            item["snippet"].update(channelId=top["channel_id"], videoId=top["video_id"],
                                   topLevelComment=self._youtube_comment_resource(top),
                                   totalReplyCount=len(replies))
            if replies and "replies" in query.get("part", ""):
                # The real API embeds only a few replies: the rest is read with comments.list?parentId=.
                item["replies"] = {"comments": [self._youtube_comment_resource(c)
                                                for c in replies[:EMBEDDED_REPLIES_MAX]]}
            else:
                item.pop("replies")
            items.append(item)
        return _json(200, self._list_body("youtube/comment_thread_list.json", items, len(matching), offset,
                                          max_results))

    def _youtube_comments(self, query: dict) -> _Response:
        """comments.list: ``parentId`` (the replies to a top-level comment, paged) or ``id`` (a list)."""
        if "snippet" not in query.get("part", "").split(",") and "id" not in query.get("part", "").split(","):
            return _youtube_error(400, "missingRequiredParameter", "part is required.")
        if bool(query.get("parentId")) == bool(query.get("id")):
            return _youtube_error(400, "incompatibleParameters", "Specify exactly one of id and parentId.")
        if query.get("id"):
            found = [self.comments[i] for i in query["id"].split(",")
                     if i in self.comments and self.comments[i]["platform"] == "youtube"
                     and not self.comments[i]["deleted"]]
            items = [self._youtube_comment_resource(c) for c in found]
            return _json(200, self._list_body("youtube/comment_list.json", items, len(items), 0, max(len(items), 1)))
        parent = query["parentId"]
        if parent not in self.youtube_replies:
            return _youtube_error(404, "commentNotFound", "The comment identified by parentId was not found.")
        paging = self._page_params(query)
        if isinstance(paging, _Response):
            return paging
        max_results, offset = paging
        replies = self._replies_of(parent)
        items = [self._youtube_comment_resource(c) for c in replies[offset : offset + max_results]]
        return _json(200, self._list_body("youtube/comment_list.json", items, len(replies), offset, max_results))

    def _youtube_videos(self, query: dict) -> _Response:
        ids = [i for i in query.get("id", "").split(",") if i]
        if not ids:
            return _youtube_error(400, "missingRequiredParameter", "No filter selected.")
        if len(ids) > 50:
            return _youtube_error(400, "invalidValue", "Up to 50 ids.")
        body = shapes.load("youtube/video_list.json")
        template = body["items"][0]
        items = []
        for video_id in ids:
            video = self.youtube_videos.get(video_id)
            if video is None:
                continue
            item = json.loads(json.dumps(template))
            item.update(id=video_id, etag=f"etag-v-{video_id}")
            item["snippet"].update(publishedAt=video["published_at"], channelId=video["channel_id"],
                                   title=video["title"], description=video["description"],
                                   localized={"title": video["title"], "description": video["description"]})
            items.append(item)
        body.update(items=items, pageInfo={"totalResults": len(items), "resultsPerPage": len(items)})
        return _json(200, body)

    def _youtube_moderate(self, query: dict) -> _Response:
        ids = [i for i in query.get("id", "").split(",") if i]
        status, ban = query.get("moderationStatus"), query.get("banAuthor") == "true"
        if not ids or status not in ("heldForReview", "published", "rejected"):
            return _youtube_error(400, "missingRequiredParameter")
        if len(ids) > 50:
            return _youtube_error(400, "invalidValue", "Up to 50 ids can be set at once.")
        if ban and status != "rejected":
            return _youtube_error(400, "banWithoutReject")
        comments = [self.comments.get(i) for i in ids]
        if any(c is None or c["platform"] != "youtube" or c["deleted"] for c in comments):
            return _youtube_error(404, "commentNotFound")
        for comment in comments:
            comment["moderation_status"] = status
            if ban:
                self.blocked.add((comment["channel_id"], comment["author_id"]))
        return _Response(204)

    # LinkedIn -----------------------------------------------------------------------------------------------

    def _linkedin(self, call: Call) -> _Response:
        if self._bearer(call) not in self.valid_tokens:
            return _linkedin_error(401, "INVALID_ACCESS_TOKEN", "Invalid access token", 65600)
        headers = {k.lower(): v for k, v in call.headers.items()}
        if not re.fullmatch(r"\d{6}", headers.get("linkedin-version", "")):
            return _linkedin_error(400, "VERSION_MISSING", "A version must be present in the LinkedIn-Version header")
        if headers.get("x-restli-protocol-version") != "2.0.0":
            return _linkedin_error(400, "ILLEGAL_ARGUMENT", "X-Restli-Protocol-Version 2.0.0 is required")
        match = _LINKEDIN.match(call.path)
        if match is None:
            return _linkedin_error(404, "NOT_FOUND", "Not Found")
        urn, comment_id = unquote(match["urn"]), match["id"] and unquote(match["id"])
        if call.method == "GET" and comment_id is None:
            start, count = int(call.query.get("start", "0")), int(call.query.get("count", "10"))
            if urn.startswith("urn:li:comment:"):
                # Comments on a comment: its replies (the parent's commentUrn is the target).
                comments = [c for c in self._linkedin_live() if c["parent_comment"] == urn]
            else:
                # Comments on a post: the first-level ones only; replies appear as references.
                comments = [c for c in self._linkedin_live() if c["object"] == urn and not c["parent_comment"]]
            body = shapes.load("linkedin/comments_on_post.json")
            body["paging"].update(start=start, count=count, total=len(comments))
            body["elements"] = [self._linkedin_element(c) for c in comments[start : start + count]]
            return _json(200, body)
        if call.method == "POST" and comment_id is None:
            body = json.loads(call.body or b"{}")
            text = (body.get("message") or {}).get("text")
            if body.get("object") != urn or not body.get("actor") or not text:
                return _linkedin_error(422, "UNPROCESSABLE_ENTITY", "actor, object and message.text are required")
            new_id = self.add_linkedin_comment(
                urn, text=text, actor=body["actor"], parent_comment=body.get("parentComment")
            )
            return _json(201, self._linkedin_element(self.comments[new_id]), {"x-restli-id": new_id})
        if call.method == "DELETE" and comment_id is not None:
            if not call.query.get("actor"):
                return _linkedin_error(400, "ILLEGAL_ARGUMENT", "actor is required")
            comment = self.comments.get(comment_id)
            if comment is None or comment["platform"] != "linkedin" or comment["object"] != urn or comment["deleted"]:
                return _linkedin_error(404, "NOT_FOUND", "Comment not found")
            comment["deleted"] = True
            return _Response(204)
        return _linkedin_error(405, "METHOD_NOT_ALLOWED", "Method not allowed")

    def _linkedin_live(self) -> list[dict]:
        return [c for c in self.comments.values() if c["platform"] == "linkedin" and not c["deleted"]]

    @staticmethod
    def _linkedin_urn(comment: dict) -> str:
        return f"urn:li:comment:({comment['object']},{comment['id']})"

    def _linkedin_element(self, comment: dict) -> dict:
        urn = self._linkedin_urn(comment)
        stamp = {"actor": comment["actor"], "time": comment["created_ms"]}
        template = ("linkedin/comments_on_comment.json" if comment["parent_comment"]
                    else "linkedin/comments_on_post.json")
        element = shapes.load(template)["elements"][0]
        replies = [self._linkedin_urn(c) for c in self._linkedin_live() if c["parent_comment"] == urn]
        element.update(
            actor=comment["actor"], id=comment["id"], commentUrn=urn, object=comment["object"],
            message={"attributes": [], "text": comment["text"]}, created={**element["created"], **stamp},
            lastModified={**element["lastModified"], **stamp},
            commentsSummary={"selectedComments": replies[:10], "totalFirstLevelComments": len(replies),
                             "aggregatedTotalComments": len(replies)},
            **{"$URN": urn},
        )
        if comment["parent_comment"]:
            element["parentComment"] = comment["parent_comment"]
        return element


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakePlatform/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output quiet

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            pass  # the client hung up (a download aborted past its size limit, a timeout)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        raw_path, _, query_string = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        form = {}
        if "application/x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            form = {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        query = {k: v[-1] for k, v in parse_qs(query_string, keep_blank_values=True).items()}
        call = Call(method, raw_path, query, form, body, time.monotonic(), dict(self.headers.items()))
        response = self.server.fake._handle(call)  # type: ignore[attr-defined]
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.headers.get("Transfer-Encoding") == "chunked":
                self.end_headers()
                for start in range(0, len(response.body), 16384):
                    piece = response.body[start:start + 16384]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
                return
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (timeout tests)
