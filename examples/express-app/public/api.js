// Every JSON endpoint the pages call, in one place: a renamed route is one edit here. The adapter is
// mounted under /2fa; /account/reauthenticate and /tenant/features are the demo app's own.
const BASE = '/2fa';

const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

/** One call: `{ ok: true, status, data }` or `{ ok: false, status, error, retryAfter }`. */
async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(method === 'GET' ? {} : { 'content-type': 'application/json', 'x-csrf-token': csrfToken() }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') ?? '';
  const data = type.includes('application/json') ? await response.json() : null;
  if (response.ok) return { ok: true, status: response.status, data, response };
  return {
    ok: false,
    status: response.status,
    error: data?.error ?? { code: 'internal', message: 'Something went wrong.' },
    retryAfter: response.headers.get('retry-after'),
  };
}

/** The backup-code file: the raw response, to save as a download. */
async function download(path, body) {
  return fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
    body: JSON.stringify(body),
  });
}

const user = (id) => `${BASE}/admin/users/${encodeURIComponent(id)}`;
const device = (id) => `${BASE}/devices/${encodeURIComponent(id)}`;

export const api = {
  // The second step of a login.
  verifyLogin: (body) => call('POST', `${BASE}/login/verify`, body),
  sendLoginCode: (body) => call('POST', `${BASE}/login/send`, body),
  sendApproval: (body) => call('POST', `${BASE}/login/approval`, body),
  pollApproval: () => call('POST', `${BASE}/login/poll`, {}),
  deferSetup: () => call('POST', `${BASE}/login/defer`, {}),
  skipSetup: () => call('POST', `${BASE}/login/skip-setup`, {}),
  stepUp: () => call('POST', `${BASE}/login/step-up`, {}),
  // Set-up.
  confirmTotp: (body) => call('POST', `${BASE}/enrollment/totp/confirm`, body),
  addAddress: (body) => call('POST', `${BASE}/enrollment/address`, body),
  verifyAddress: (body) => call('POST', `${BASE}/enrollment/address/verify`, body),
  resendAddressCode: (body) => call('POST', `${BASE}/enrollment/address/resend`, body),
  linkTelegram: (body) => call('POST', `${BASE}/enrollment/telegram`, body),
  telegramLinkStatus: (linkId) => call('GET', `${BASE}/enrollment/telegram/${encodeURIComponent(linkId)}`),
  // Backup codes.
  acknowledgeBackupCodes: () => call('POST', `${BASE}/backup-codes/acknowledge`, {}),
  regenerateBackupCodes: () => call('POST', `${BASE}/backup-codes/regenerate`, {}),
  downloadBackupCodes: (body) => download(`${BASE}/backup-codes/download`, body),
  // The security tab.
  setUseTwoFactor: (value) => call('PUT', `${BASE}/use-two-factor`, { value }),
  resetOwn: () => call('POST', `${BASE}/reset`, {}),
  renameDevice: (id, label) => call('PATCH', device(id), { label }),
  removeDevice: (id) => call('DELETE', device(id)),
  switchOffDevice: (id) => call('POST', `${device(id)}/switch-off`, {}),
  switchOnDevice: (id) => call('POST', `${device(id)}/switch-on`, {}),
  forgetBrowsers: () => call('DELETE', `${BASE}/trusted-device`),
  reauthenticate: (password) => call('POST', '/account/reauthenticate', { password }),
  // A tenant's settings.
  tenantSmtp: () => call('GET', `${BASE}/tenant/smtp`),
  setTenantSmtp: (smtp) => call('PUT', `${BASE}/tenant/smtp`, { smtp }),
  setTenantFeature: (feature, on) => call('PUT', '/tenant/features', { feature, on }),
  // Administration.
  admin: {
    setUseTwoFactor: (id, value) => call('PUT', `${user(id)}/use-two-factor`, { value }),
    setMayToggle: (id, value) => call('PUT', `${user(id)}/may-toggle`, { value }),
    reset: (id) => call('POST', `${user(id)}/reset`, {}),
  },
};
