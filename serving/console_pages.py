"""The console's pages: login (CSRF double-submit), logout, the console and metrics pages."""

from __future__ import annotations

import asyncio
import hmac
import html
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from catalog.errors import ShopError, StaffAuthError
from serving.paths import web_dir
from serving.staff_auth import (
    LOGIN_CSRF_COOKIE,
    check_login_allowed,
    clear_cookie,
    count_login_failure,
    login_csrf,
    session_of,
    staff_cookie,
)
from serving.state import server_state

router = APIRouter()
MAX_FORM_BYTES = 4096


def _login_page(csrf: str, error: str = "", status: int = 200) -> HTMLResponse:
    page = (web_dir() / "console-login.html").read_text(encoding="utf-8")
    page = page.replace("{{csrf}}", html.escape(csrf)).replace("{{error}}", html.escape(error))
    response = HTMLResponse(page, status_code=status)
    response.headers["set-cookie"] = (
        f"{LOGIN_CSRF_COOKIE}={csrf}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=3600"
    )
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/console/login", include_in_schema=False)
async def login_form(request: Request) -> Response:
    """Show the sign-in form (already signed in: straight to the console)."""
    if await asyncio.to_thread(session_of, request) is not None:
        return RedirectResponse("/console", status_code=303)
    return _login_page(login_csrf())


@router.post("/console/login", include_in_schema=False)
async def login(request: Request) -> Response:
    """Check the form's CSRF pair and the password; set the staff cookie on success."""
    state = server_state(request)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return _login_page(login_csrf(), "The form is too large.", 413)
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    sent, kept = form.get("csrf", ""), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not sent or not kept or not hmac.compare_digest(sent, kept):
        return _login_page(login_csrf(), "The form expired; please sign in again.", 403)
    email = form.get("email", "").strip().lower()[:320]
    client = state.client_of(request.headers, request.client)
    support = state.services.chat.support
    try:
        check_login_allowed(state, email, client)
        staff = await asyncio.to_thread(
            support.staff.check_password, email, form.get("password", "")
        )
    except StaffAuthError as exc:
        count_login_failure(state, email, client)
        return _login_page(login_csrf(), exc.message, 401)
    except ShopError as exc:  # rate limited
        return _login_page(login_csrf(), exc.message, 429)
    token, _csrf = await asyncio.to_thread(support.staff.start_session, staff)
    response = RedirectResponse("/console", status_code=303)
    max_age = int(support.settings.staff_session_hours * 3600)
    secure = state.services.settings.security.cookie_secure
    response.headers["set-cookie"] = staff_cookie(token, secure=secure, max_age=max_age)
    return response


@router.post("/console/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    """End the staff session (needs its CSRF token, as a header or form field)."""
    ctx = await asyncio.to_thread(session_of, request)
    if ctx is not None:
        body = (await request.body())[:MAX_FORM_BYTES].decode("utf-8", "replace")
        sent = request.headers.get("x-csrf-token") or (parse_qs(body).get("csrf") or [""])[0]
        if sent and hmac.compare_digest(sent, ctx.csrf):
            await asyncio.to_thread(
                server_state(request).services.chat.support.staff.end_session, ctx.token
            )
    response = RedirectResponse("/console/login", status_code=303)
    response.headers["set-cookie"] = clear_cookie()
    return response


@router.get("/console", include_in_schema=False)
async def console(request: Request) -> Response:
    """Serve the agents' console (sign-in first)."""
    if await asyncio.to_thread(session_of, request) is None:
        return RedirectResponse("/console/login", status_code=303)
    return FileResponse(web_dir() / "console.html", headers={"cache-control": "no-store"})


@router.get("/console/metrics", include_in_schema=False)
async def metrics_page(request: Request) -> Response:
    """Serve the support metrics page with charts (admins)."""
    ctx = await asyncio.to_thread(session_of, request)
    if ctx is None:
        return RedirectResponse("/console/login", status_code=303)
    if ctx.staff.role != "admin":
        return HTMLResponse("Only admins may see the metrics.", status_code=403)
    return FileResponse(web_dir() / "console-metrics.html", headers={"cache-control": "no-store"})


@router.get("/console/console.js", include_in_schema=False)
async def console_js() -> FileResponse:
    """Serve the console's script (no build step, like the widget)."""
    return FileResponse(web_dir() / "console.js", media_type="text/javascript")
