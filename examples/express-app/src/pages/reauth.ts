/**
 * @module
 * "Confirm it's you": shown by the page's script when the service answers `policy_denied` with
 * `fresh_auth_required` — the password again (`policyDetail.proof` names it), or a fresh code through
 * the adapter's step-up, after which the page is loaded again and the change can be made.
 */
import { type Html, html } from '../html';

/** The hidden section; `next` is where the step-up's code page returns to. */
export function reauthSection(next: string): Html {
  return html`<section id="reauth" class="card" data-test="reauth" hidden>
    <h2>Confirm it’s you</h2>
    <p>This change needs a recent proof that it is you.</p>
    <form data-action="reauthenticate" data-part="password" data-test="reauth-form" hidden>
      <label for="reauth-password">Your password</label>
      <input id="reauth-password" name="password" type="password" autocomplete="current-password" required data-test="reauth-password">
      <button type="submit" data-test="reauth-submit">Confirm password</button>
    </form>
    <p data-part="second_factor" hidden>
      <button type="button" data-action="step-up" data-next="${next}" data-test="step-up">Confirm with a code</button>
    </p>
  </section>`;
}
