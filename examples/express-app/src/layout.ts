/**
 * @module
 * The frame of every page: the header with the product's name, the navigation of a signed-in user and
 * his sign-out button, the CSRF token the page's script sends with each JSON call, the one stylesheet
 * and the one script.
 */
import type { SecondFactorSession } from '@secondfactor/express';
import type { Response } from 'express';
import type { DemoContext } from './context';
import { type Html, type HtmlValue, html } from './html';

export interface PageOptions {
  title: string;
  body: HtmlValue;
  /** The session's state: its CSRF token goes into the page, and a signed-in user gets the navigation. */
  state?: SecondFactorSession | null | undefined;
  status?: number | undefined;
}

function navigation(ctx: DemoContext, state: SecondFactorSession): Html {
  const user = ctx.users.find(state.user.id);
  const admin = user !== undefined && ctx.users.isAdmin(state.user);
  const partnerAdmin = admin && ctx.product.name === 'partnerPortal';
  return html`<nav aria-label="Main">
    <a href="/account" data-test="nav-security">Security</a>
    ${admin ? html`<a href="/admin/users" data-test="nav-admin">Users</a>` : null}
    ${partnerAdmin ? html`<a href="/tenant" data-test="nav-tenant">Tenant settings</a>` : null}
    <a href="/dev/outbox" data-test="nav-outbox">Outbox</a>
    <form method="post" action="/logout" class="inline" data-test="logout-form">
      <input type="hidden" name="_csrf" value="${state.csrfToken}">
      <span class="who" data-test="signed-in-as">${state.user.id}</span>
      <button type="submit" class="link" data-test="logout">Sign out</button>
    </form>
  </nav>`;
}

/** Sends a whole page (never cached: it may hold a key, a code or a token). */
export function sendPage(ctx: DemoContext, res: Response, options: PageOptions): void {
  const { state } = options;
  const signedIn = state !== null && state !== undefined && state.signedIn !== null;
  const page = html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="csrf-token" content="${state?.csrfToken ?? ''}">
  <title>${options.title} · secondfactor demo</title>
  <link rel="stylesheet" href="/static/app.css">
  <script type="module" src="/static/app.js"></script>
</head>
<body>
  <header class="top">
    <a class="brand" href="/">secondfactor demo <span class="product" data-test="product">${ctx.product.name}</span></a>
    ${signedIn && state ? navigation(ctx, state) : null}
  </header>
  <main>
    <h1>${options.title}</h1>
    <p class="message" role="status" id="message" data-test="message" hidden></p>
    ${options.body}
  </main>
</body>
</html>`;
  res
    .status(options.status ?? 200)
    .type('html')
    .set('cache-control', 'no-store')
    .send(page.value);
}
