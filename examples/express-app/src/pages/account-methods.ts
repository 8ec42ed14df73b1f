/**
 * @module
 * The e-mail, phone and Telegram methods, on the security tab and as first-login set-ups of their own:
 * add an address (a code goes to it, then "Verify"), send a new code, change an address (the old one
 * works until the new one is verified), and link a Telegram chat (open the link, the page waits).
 * Switching a device on or off and deleting it are in the device table.
 */
import type { Method } from '@secondfactor/core';
import type { TwoFactorDevice } from '@secondfactor/service';
import type { DemoContext } from '../context';
import { type Html, html } from '../html';
import type { DemoUser } from '../products';
import { methodInText } from './code-form';

const ADDRESS_METHODS = ['email', 'sms', 'voice'] as const;
type AddressMethod = (typeof ADDRESS_METHODS)[number];

const TITLES: Record<AddressMethod, string> = {
  email: 'E-mail codes',
  sms: 'SMS codes',
  voice: 'Phone calls (the code is the end of the calling number)',
};

export const isAddressMethod = (method: string): method is AddressMethod =>
  (ADDRESS_METHODS as readonly string[]).includes(method);

/** "Add" and "Verify" for one address method. */
export function addressSection(method: AddressMethod, user: DemoUser): Html {
  const email = method === 'email';
  const suggested = email ? user.email : (user.phone ?? '');
  return html`<section class="card" data-test="address-${method}">
    <h2>${TITLES[method]}</h2>
    <form class="inline-card" data-action="add-address" data-method="${method}" data-test="add-address-form">
      <input type="hidden" name="method" value="${method}">
      <input type="hidden" name="replaces" value="">
      <label for="address-${method}">${email ? 'E-mail address' : 'Phone number (international, e.g. +15550100001)'}</label>
      <input id="address-${method}" name="address" value="${suggested}" required
        ${email ? html`type="email" autocomplete="email"` : html`type="tel" autocomplete="tel"`} data-test="address">
      <button type="submit" data-test="add-address">Send code</button>
    </form>
    <form class="inline-card" data-action="verify-address" data-test="verify-address-form" hidden>
      <input type="hidden" name="enrollmentId" value="">
      <label for="address-code-${method}">The code we sent</label>
      <input id="address-code-${method}" name="code" required autocomplete="one-time-code" inputmode="numeric" data-test="address-code">
      <p class="error" role="alert" data-error data-test="address-error" hidden></p>
      <div class="actions">
        <button type="submit" data-test="verify-address">Verify</button>
        <button type="button" class="secondary" data-action="resend-address" data-test="resend-address">Send a new code</button>
      </div>
      <p class="hint">Development: the message shows up in the <a href="/dev/outbox" target="_blank">outbox</a>.</p>
    </form>
  </section>`;
}

/** "Link Telegram": the one-time link, then the page waits until the chat is linked. */
export function telegramSection(ctx: DemoContext): Html {
  return html`<section class="card" data-test="telegram">
    <h2>Telegram</h2>
    <p>Sign-ins are confirmed with Approve / Deny in a chat with the bot.</p>
    <button type="button" data-action="link-telegram" data-test="link-telegram">Link Telegram</button>
    <p id="telegram-waiting" data-test="telegram-waiting" hidden>Open
      <a id="telegram-link" href="#" target="_blank" rel="noopener" data-test="telegram-link">the link in Telegram</a>
      and press Start; this page goes on once the chat is linked.
      ${ctx.telegram?.fake ? html`(Without a real bot: <a href="/dev/telegram" target="_blank">/dev/telegram</a>.)` : null}</p>
  </section>`;
}

/** A method that only backs up another (`methods.fallbackOnly`), while the user has no other one on. */
function waitsForPrimary(method: AddressMethod, primaries: readonly Method[]): Html {
  return html`<section class="card" data-test="address-${method}">
    <h2>${TITLES[method]}</h2>
    <p class="hint" data-test="needs-primary">These back up another method: set up
      ${primaries.map(methodInText).join(' or ')} first.</p>
  </section>`;
}

/** The methods beside the app that the product offers. */
export async function methodsSection(
  ctx: DemoContext,
  user: DemoUser,
  devices: readonly TwoFactorDevice[],
): Promise<Html | null> {
  const { allowed, fallbackOnly = [], withoutEnrollment = [] } = ctx.product.policy.methods;
  const addresses = allowed.filter(isAddressMethod);
  const primaries = allowed.filter((method) => !fallbackOnly.includes(method));
  const hasPrimary = devices.some((device) => !device.switchedOff && primaries.includes(device.method));
  const sections = [
    ...addresses
      .filter((method) => !withoutEnrollment.includes(method))
      .map((method) =>
        fallbackOnly.includes(method) && !hasPrimary
          ? waitsForPrimary(method, primaries)
          : addressSection(method, user),
      ),
    ...(allowed.includes('push') && ctx.telegram !== undefined ? [telegramSection(ctx)] : []),
  ];
  return sections.length === 0 ? null : html`<h2 class="section">Other methods</h2>${sections}`;
}
