/**
 * @module
 * The second step by a delivered code or an approval: "Send code" for e-mail, SMS and a phone call
 * (which falls back to an SMS after unanswered calls) to the address the user picks, then the code;
 * and for Telegram "Send approval", after which the page waits for Approve or Deny.
 */
import type { Method } from '@secondfactor/core';
import type { SecondFactorSession } from '@secondfactor/express';
import type { DemoContext } from '../context';
import { type Html, html } from '../html';
import { codeForm } from './code-form';

function deviceChoice(state: SecondFactorSession, method: Method): Html | null {
  const devices = (state.pending?.devices ?? []).filter((device) => device.method === method);
  if (devices.length === 0) return null;
  return html`<label for="send-device">Send to</label>
    <select id="send-device" name="deviceId" data-test="send-device">
      ${devices.map((device) => html`<option value="${device.id}">${device.label} · ${device.hint ?? ''}</option>`)}
    </select>`;
}

export function deliveredCodeForms(
  ctx: DemoContext,
  state: SecondFactorSession,
  method: Method,
  next: string,
): Html {
  if (method === 'push') {
    return html`<form class="card" data-action="send-approval" data-next="${next}" data-test="approval-form">
      ${deviceChoice(state, 'push')}
      <p>We send an Approve / Deny message to your Telegram. This page goes on once you answer it.</p>
      <p class="error" role="alert" id="login-error" data-test="login-error" hidden></p>
      <button type="submit" data-test="send-approval">Send approval to Telegram</button>
      <p class="hint" id="approval-waiting" data-test="approval-waiting" hidden>Waiting for your answer in Telegram…
        (Without a real bot: <a href="/dev/telegram" target="_blank">/dev/telegram</a>.)</p>
    </form>`;
  }
  return html`<form class="card" data-action="send-code" data-method="${method}" data-test="send-form">
      ${deviceChoice(state, method)}
      <button type="submit" class="secondary" data-test="send-code">Send code</button>
      <p class="hint" id="sent" data-test="sent" hidden></p>
    </form>
    ${codeForm(ctx, state, method, next)}
    <p class="hint">Development: the message shows up in the <a href="/dev/outbox" target="_blank" data-test="outbox-link">outbox</a>.</p>`;
}
