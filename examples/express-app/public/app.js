// The pages' behaviour: each form or button with a data-action calls one JSON endpoint (api.js) and
// shows the answer. No framework, no build step.
import { api } from './api.js';

const CODES_KEY = 'sfdemo.backupCodes';
const FLASH_KEY = 'sfdemo.flash';

const $ = (selector, root = document) => root.querySelector(selector);

function show(text, kind = 'info') {
  const box = $('#message');
  if (!box) return;
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = false;
}

/** Reloads the page (or goes to `to`) with a message shown after the load. */
function goWith(text, to = location.pathname + location.search) {
  sessionStorage.setItem(FLASH_KEY, text);
  location.href = to;
}

function waitText(result) {
  const seconds = Number(result.retryAfter);
  return Number.isFinite(seconds) && seconds > 0 ? ` Try again in ${seconds} seconds.` : '';
}

function openReauth(proof) {
  const section = $('#reauth');
  if (!section || !proof) return;
  section.hidden = false;
  const password = proof === 'password' || proof === 'password_and_second_factor';
  $('[data-part="password"]', section).hidden = !password;
  $('[data-part="second_factor"]', section).hidden = password || proof === 'none';
  section.dataset.proof = proof;
  section.scrollIntoView({ block: 'center' });
}

/** Shows a refusal; a session that lost its sign-in goes back to the start. */
function refused(result) {
  const { error } = result;
  if (error.code === 'unauthenticated' || error.code === 'second_factor_required') {
    location.href = '/login';
    return;
  }
  if (error.code === 'enrollment_required') {
    location.href = '/setup';
    return;
  }
  if (error.code === 'policy_denied' && error.detail?.reason === 'fresh_auth_required') {
    openReauth(error.detail.policyDetail?.proof);
    return show(
      'This change needs a recent proof that it is you: confirm it below, then try again.',
      'error',
    );
  }
  show(error.message + waitText(result), 'error');
}

/** A wrong code on a code form: the message, and the phone-clock hint for an app's code. */
function codeRefused(form, result, method) {
  const box = $('#login-error, [data-error]', form);
  if (!box || ['unauthenticated', 'policy_denied'].includes(result.error.code)) return refused(result);
  box.textContent = result.error.message + waitText(result);
  box.hidden = false;
  const hint = $('#clock-hint', form);
  if (hint) hint.hidden = result.error.code !== 'otp_invalid' || (method !== 'totp' && method !== 'hotp');
  const field = form.elements.code;
  field?.select();
}

const codeOf = (form) => String(new FormData(form).get('code') ?? '').replace(/[\s-]/g, '');

function keepCodes(data) {
  sessionStorage.setItem(CODES_KEY, JSON.stringify({ codes: data.codes, createdAt: data.createdAt }));
}

/** After a set-up: the backup codes page when codes came with it, else the security page. */
function afterSetup(data) {
  if (Array.isArray(data.backupCodes) && data.backupCodes.length > 0) {
    keepCodes({ codes: data.backupCodes, createdAt: data.createdAt });
    location.href = '/backup-codes';
  } else {
    goWith('Two-factor authentication is on.', '/account');
  }
}

const forms = {
  async 'verify-login'(form) {
    const fields = new FormData(form);
    const method = String(fields.get('method'));
    const body = { method, code: codeOf(form) };
    if (fields.get('deviceId')) body.deviceId = String(fields.get('deviceId'));
    if (form.elements.rememberDevice) body.rememberDevice = form.elements.rememberDevice.checked;
    const result = await api.verifyLogin(body);
    if (result.ok) location.href = form.dataset.next || '/account';
    else codeRefused(form, result, method);
  },
  async 'confirm-totp'(form) {
    const fields = new FormData(form);
    const body = { enrollmentId: String(fields.get('enrollmentId')), code: codeOf(form) };
    if (fields.get('replaces')) body.replaces = String(fields.get('replaces'));
    const result = await api.confirmTotp(body);
    if (result.ok) afterSetup(result.data);
    else codeRefused(form, result, 'totp');
  },
  async 'acknowledge-codes'() {
    const result = await api.acknowledgeBackupCodes();
    if (!result.ok) return refused(result);
    sessionStorage.removeItem(CODES_KEY);
    goWith('Your backup codes are saved.', '/account');
  },
  async 'rename-device'(form) {
    const label = String(new FormData(form).get('label') ?? '').trim();
    const result = await api.renameDevice(form.dataset.deviceId, label);
    if (result.ok) show(`Renamed to “${label}”.`);
    else refused(result);
  },
  async 'send-code'(form) {
    const fields = new FormData(form);
    const body = { method: form.dataset.method };
    if (fields.get('deviceId')) body.deviceId = String(fields.get('deviceId'));
    const result = await api.sendLoginCode(body);
    if (!result.ok) return show(result.error.message + waitText(result), 'error');
    const note = $('#sent', form);
    const by =
      result.data.channel === 'sms' && body.method === 'voice'
        ? 'SMS (after the unanswered calls)'
        : result.data.channel;
    note.textContent = `Sent by ${by}. A new code can be sent in ${Math.ceil(result.data.resendAfterMs / 1000)} s.`;
    note.hidden = false;
    $('#code')?.focus();
  },
  async 'send-approval'(form) {
    const fields = new FormData(form);
    const result = await api.sendApproval(
      fields.get('deviceId') ? { deviceId: String(fields.get('deviceId')) } : {},
    );
    if (!result.ok) return codeRefused(form, result, 'push');
    $('#approval-waiting', form).hidden = false;
    const poll = async () => {
      const answer = await api.pollApproval();
      if (answer.status === 202) return setTimeout(poll, 2000);
      if (answer.ok) location.href = form.dataset.next || '/account';
      else codeRefused(form, answer, 'push');
    };
    setTimeout(poll, 2000);
  },
  async 'add-address'(form) {
    const fields = new FormData(form);
    const body = {
      method: String(fields.get('method')),
      address: String(fields.get('address') ?? '').trim(),
    };
    if (fields.get('replaces')) body.replaces = String(fields.get('replaces'));
    const result = await api.addAddress(body);
    if (!result.ok) return refused(result);
    if (result.data.status === 'trusted') {
      return goWith('A colleague already verified this number: switch it on in the device table to use it.');
    }
    const verify = form.nextElementSibling;
    verify.elements.enrollmentId.value = result.data.enrollmentId;
    verify.hidden = false;
    verify.elements.code.focus();
    show(`A code was sent by ${result.data.channel}.`);
  },
  async 'verify-address'(form) {
    const fields = new FormData(form);
    const result = await api.verifyAddress({
      enrollmentId: String(fields.get('enrollmentId')),
      code: codeOf(form),
    });
    if (result.ok) afterSetup(result.data);
    else codeRefused(form, result, 'address');
  },
  async 'tenant-smtp'(form) {
    const fields = new FormData(form);
    const smtp = { host: String(fields.get('host') ?? '').trim(), secure: fields.get('secure') === 'on' };
    if (fields.get('port')) smtp.port = Number(fields.get('port'));
    if (fields.get('user'))
      smtp.auth = { user: String(fields.get('user')), pass: String(fields.get('pass') ?? '') };
    const result = await api.setTenantSmtp(smtp);
    if (result.ok) goWith('The SMTP server is saved.');
    else refused(result);
  },
  async reauthenticate(form) {
    const result = await api.reauthenticate(String(new FormData(form).get('password') ?? ''));
    if (!result.ok) return show(result.error.message, 'error');
    const section = $('#reauth');
    if (section?.dataset.proof === 'password_and_second_factor') {
      form.hidden = true;
      $('[data-part="second_factor"]', section).hidden = false;
      show('Password confirmed. Now confirm with a code.');
    } else {
      goWith('Password confirmed. Try again.');
    }
  },
};

const buttons = {
  async 'skip-setup'() {
    const result = await api.skipSetup();
    if (result.ok) goWith('Two-factor authentication is off for your account.', '/account');
    else refused(result);
  },
  async 'defer-setup'() {
    const result = await api.deferSetup();
    if (result.ok) goWith('You can set up two-factor authentication later.', '/account');
    else refused(result);
  },
  async 'step-up'(button) {
    const result = await api.stepUp();
    if (!result.ok) return refused(result);
    // `challenge`: the code page asks for a fresh code; any other state has no factor to ask for.
    if (result.data.state !== 'challenge') return show('There is no second factor to confirm with.', 'error');
    location.href = `/login/code?next=${encodeURIComponent(button.dataset.next || location.pathname)}`;
  },
  async 'use-2fa'(button) {
    const value = button.dataset.value === 'true';
    if (!value && !confirm('Turn off two-factor authentication? Your devices and backup codes are removed.'))
      return;
    const result = await api.setUseTwoFactor(value);
    if (result.ok) goWith(value ? 'Two-factor authentication is on.' : 'Two-factor authentication is off.');
    else refused(result);
  },
  async 'reset-own'() {
    if (!confirm('Remove your devices and backup codes? You set up again at your next sign-in.')) return;
    const result = await api.resetOwn();
    if (result.ok) goWith('Your two-factor authentication was reset.');
    else refused(result);
  },
  async 'regenerate-codes'() {
    const result = await api.regenerateBackupCodes();
    if (!result.ok) return refused(result);
    keepCodes(result.data);
    location.href = '/backup-codes';
  },
  async 'forget-browsers'() {
    const result = await api.forgetBrowsers();
    if (result.ok) show(`Forgotten: ${result.data.forgotten} remembered browser(s).`);
    else refused(result);
  },
  async 'remove-device'(button) {
    if (!confirm('Remove this device?')) return;
    const result = await api.removeDevice(button.dataset.deviceId);
    if (result.ok) goWith('The device was removed.');
    else refused(result);
  },
  async 'switch-off'(button) {
    const result = await api.switchOffDevice(button.dataset.deviceId);
    if (result.ok) goWith('Switched off.');
    else refused(result);
  },
  async 'switch-on'(button) {
    const result = await api.switchOnDevice(button.dataset.deviceId);
    if (!result.ok) return refused(result);
    if (Array.isArray(result.data.backupCodes) && result.data.backupCodes.length > 0) afterSetup(result.data);
    else goWith('Switched on.');
  },
  async 'admin-reset'(button) {
    const id = button.dataset.userId;
    if (!confirm(`Reset the two-factor authentication of ${id}? He sets it up again at his next sign-in.`))
      return;
    const result = await api.admin.reset(id);
    if (result.ok) goWith(`${id} sets up two-factor authentication again at the next sign-in.`);
    else refused(result);
  },
  async 'resend-address'(button) {
    const form = button.closest('form');
    const result = await api.resendAddressCode({ enrollmentId: form.elements.enrollmentId.value });
    if (result.ok) show(`A new code was sent by ${result.data.channel}; the old one no longer works.`);
    else refused(result);
  },
  'change-address'(button) {
    const form = $(`form[data-action="add-address"][data-method="${button.dataset.method}"]`);
    if (!form) return;
    form.elements.replaces.value = button.dataset.deviceId;
    form.elements.address.value = '';
    form.elements.address.focus();
    show('Enter the new address: the old one works until the new one is verified.');
  },
  async 'link-telegram'(button) {
    const result = await api.linkTelegram({});
    if (!result.ok) return refused(result);
    const { link, linkId } = result.data;
    const anchor = $('#telegram-link');
    anchor.href = link;
    anchor.textContent = link;
    const dev = $('#telegram-waiting a[href^="/dev/telegram"]');
    if (dev) dev.href = `/dev/telegram?link=${encodeURIComponent(link)}`;
    $('#telegram-waiting').hidden = false;
    button.disabled = true;
    const poll = async () => {
      const status = await api.telegramLinkStatus(linkId);
      if (!status.ok) return refused(status);
      if (status.data.state === 'pending') return setTimeout(poll, 2000);
      afterSetup(status.data);
    };
    setTimeout(poll, 2000);
  },
  async 'tenant-smtp-remove'() {
    if (!confirm('Remove the SMTP server? E-mail codes stop until a new one is saved.')) return;
    const result = await api.setTenantSmtp(null);
    if (result.ok) goWith('The SMTP server is removed.');
    else refused(result);
  },
  'save-codes': () => saveCodes(),
  'print-codes': () => window.print(),
  async 'copy-codes'() {
    const kept = keptCodes();
    if (!kept) return;
    await navigator.clipboard.writeText(kept.codes.join('\n'));
    show('Copied.');
  },
};

const changes = {
  async 'tenant-feature'(box) {
    const result = await api.setTenantFeature(box.dataset.feature, box.checked);
    if (result.ok) show('Saved: the next sign-in of your users follows it.');
    else {
      box.checked = !box.checked;
      refused(result);
    }
  },
  async 'admin-use-2fa'(select) {
    const result = await api.admin.setUseTwoFactor(select.dataset.userId, select.value === 'true');
    if (result.ok) goWith(`Use 2FA for ${select.dataset.userId}: ${select.value === 'true' ? 'yes' : 'no'}.`);
    else refused(result);
  },
  async 'admin-may-toggle'(box) {
    const result = await api.admin.setMayToggle(box.dataset.userId, box.checked);
    if (result.ok) show(`Can toggle 2FA for ${box.dataset.userId}: ${box.checked ? 'yes' : 'no'}.`);
    else {
      box.checked = !box.checked;
      refused(result);
    }
  },
};

function keptCodes() {
  try {
    const kept = JSON.parse(sessionStorage.getItem(CODES_KEY) ?? 'null');
    return kept && Array.isArray(kept.codes) ? kept : null;
  } catch {
    return null;
  }
}

async function saveCodes() {
  const kept = keptCodes();
  if (!kept) return;
  const response = await api.downloadBackupCodes({ codes: kept.codes, createdAt: kept.createdAt });
  if (!response.ok) return show('The file could not be made.', 'error');
  const name = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = name ?? 'backup-codes.txt';
  link.click();
  URL.revokeObjectURL(link.href);
}

function showBackupCodes() {
  const list = $('#backup-codes');
  if (!list) return;
  const kept = keptCodes();
  if (!kept) {
    $('#no-codes').hidden = false;
    $('#code-actions').hidden = true;
    $('[data-action="acknowledge-codes"]').hidden = true;
    return;
  }
  for (const code of kept.codes) {
    const item = document.createElement('li');
    item.textContent = code;
    list.append(item);
  }
}

document.addEventListener('submit', (event) => {
  const form = event.target.closest('form[data-action]');
  const handler = form && forms[form.dataset.action];
  if (!handler) return;
  event.preventDefault();
  handler(form).catch((error) => show(String(error), 'error'));
});

document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  const handler = button && buttons[button.dataset.action];
  if (!handler) return;
  event.preventDefault();
  Promise.resolve(handler(button)).catch((error) => show(String(error), 'error'));
});

document.addEventListener('change', (event) => {
  const input = event.target.closest('[data-action]');
  const handler = input && changes[input.dataset.action];
  if (!handler) return;
  handler(input).catch((error) => show(String(error), 'error'));
});

const flash = sessionStorage.getItem(FLASH_KEY);
if (flash) {
  sessionStorage.removeItem(FLASH_KEY);
  show(flash);
}
const refusal = $('[data-test="refusal"]');
if (refusal?.dataset.proof) openReauth(refusal.dataset.proof);
showBackupCodes();
