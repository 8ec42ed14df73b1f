/**
 * @module
 * The backup codes page: the codes a set-up or "Get new backup codes" just answered (the page's script
 * keeps them in this tab's `sessionStorage` between the two pages; the server never keeps them), with
 * Save to file, Print, Copy and "I confirm the codes are saved".
 */
import type { Express } from 'express';
import { type DemoContext, pageOf, signedInPage } from '../context';
import { html } from '../html';
import { sendPage } from '../layout';

export function backupCodePages(app: Express, ctx: DemoContext): void {
  app.get('/backup-codes', signedInPage(ctx), (_req, res) => {
    const { state } = pageOf(res);
    sendPage(ctx, res, {
      title: 'Your backup codes',
      state,
      body: html`
        <p>If your phone is not at hand, each of these codes signs you in once instead of a code from the
          app. Keep them somewhere safe, away from the phone: they are shown only now.</p>
        <ol class="codes" id="backup-codes" data-test="backup-codes"></ol>
        <p id="no-codes" data-test="no-codes" hidden>There are no new codes to show here. Get a new set on the
          <a href="/account">security page</a>.</p>
        <div class="actions" id="code-actions">
          <button type="button" class="secondary" data-action="save-codes" data-test="save-codes">Save to file</button>
          <button type="button" class="secondary" data-action="print-codes" data-test="print-codes">Print</button>
          <button type="button" class="secondary" data-action="copy-codes" data-test="copy-codes">Copy</button>
        </div>
        <form class="card" data-action="acknowledge-codes" data-test="acknowledge-form">
          <label class="check"><input type="checkbox" name="saved" required data-test="confirm-saved">
            I confirm the codes are saved</label>
          <button type="submit" data-test="codes-continue">Continue</button>
        </form>`,
    });
  });
}
