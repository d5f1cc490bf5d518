// LIFF SDK stand-in served by the LINE simulator at /liff/sdk.js.
// Like the real SDK on its primary redirect, it takes the LINE Login credentials the (virtual)
// LINE app put in the URL fragment (#id_token=…&access_token=…), keeps them in sessionStorage and
// removes them from the address bar. Load it with a plain <script> tag instead of the real SDK.
(() => {
  const STORAGE_KEY = 'line-simulator:liff-credentials';
  const script = document.currentScript;
  const simOrigin = script?.src ? new URL(script.src).origin : location.origin;

  class LiffError extends Error {
    constructor(code, message) {
      super(message);
      this.name = 'LiffError';
      this.code = code;
    }
  }

  function captureFragment() {
    const hash = location.hash.startsWith('#') ? location.hash.slice(1) : '';
    if (!hash.includes('id_token=')) return;
    const params = new URLSearchParams(hash);
    const idToken = params.get('id_token');
    const accessToken = params.get('access_token');
    if (!idToken || !accessToken) return;
    const stored = {
      idToken,
      accessToken,
      liffId: params.get('liff_id'),
      endpointUrl: params.get('liff_endpoint'),
    };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    for (const key of ['id_token', 'access_token', 'liff_id', 'liff_endpoint']) params.delete(key);
    const rest = params.toString();
    history.replaceState(history.state, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
  }

  function credentials() {
    try {
      return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    } catch {
      return null;
    }
  }

  function decodeJwt(token) {
    const part = token.split('.')[1] ?? '';
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  function requireLogin() {
    const c = credentials();
    if (!c) throw new LiffError('UNAUTHORIZED', 'Need access_token for this API: call liff.login() first');
    return c;
  }

  async function callSimulator(path, init) {
    const c = requireLogin();
    const res = await fetch(simOrigin + path, {
      ...init,
      headers: { authorization: `Bearer ${c.accessToken}`, 'content-type': 'application/json' },
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new LiffError(String(res.status), body.message ?? `HTTP ${res.status}`);
    return body;
  }

  function toParent(message) {
    if (window.parent !== window) {
      window.parent.postMessage({ source: 'line-simulator-liff', liffId: liff.id, ...message }, '*');
      return true;
    }
    return false;
  }

  /** https://liff.line.me/{liffId}/{the part of the URL after the endpoint URL} */
  function permanentLink(url) {
    const u = new URL(url, location.href);
    const endpoint = new URL(credentials()?.endpointUrl ?? `${location.origin}/`);
    const base = endpoint.pathname.replace(/\/+$/, '');
    const path = u.pathname.startsWith(base) ? u.pathname.slice(base.length) : u.pathname;
    return `https://liff.line.me/${liff.id}${path}${u.search}${u.hash}`;
  }

  let resolveReady;
  const ready = new Promise((resolve) => {
    resolveReady = resolve;
  });

  captureFragment();

  const liff = {
    id: null,
    ready,
    init(config) {
      if (!config?.liffId)
        return Promise.reject(new LiffError('INVALID_CONFIG', 'liffId is necessary for liff.init()'));
      captureFragment();
      liff.id = config.liffId;
      resolveReady();
      if (!credentials() && config.withLoginOnExternalBrowser) liff.login();
      return Promise.resolve();
    },
    isLoggedIn: () => credentials() !== null,
    isInClient: () => true,
    getOS() {
      const ua = navigator.userAgent;
      if (/iPhone|iPad|iPod/.test(ua)) return 'ios';
      if (/Android/.test(ua)) return 'android';
      return 'web';
    },
    getLanguage: () => navigator.language,
    getAppLanguage: () => navigator.language,
    getVersion: () => '2.24.0',
    getLineVersion: () => '14.0.0',
    isApiAvailable: () => false,
    getIDToken: () => credentials()?.idToken ?? null,
    getDecodedIDToken() {
      const c = credentials();
      return c ? decodeJwt(c.idToken) : null;
    },
    getAccessToken: () => credentials()?.accessToken ?? null,
    async getProfile() {
      const claims = decodeJwt(requireLogin().idToken);
      const profile = { userId: claims.sub, displayName: claims.name };
      if (claims.picture) profile.pictureUrl = claims.picture;
      return profile;
    },
    getFriendship: () => callSimulator('/liff/friendship', { method: 'GET' }),
    getContext() {
      const c = credentials();
      const claims = c ? decodeJwt(c.idToken) : null;
      return {
        type: 'utou',
        userId: claims?.sub,
        liffId: liff.id,
        viewType: 'full',
        endpointUrl: location.origin + location.pathname,
        accessTokenHash: '',
        availability: {
          shareTargetPicker: { permission: false, minVer: '10.3.0' },
          multipleLiffTransition: { permission: true, minVer: '10.18.0' },
        },
        scope: ['openid', 'profile', 'chat_message.write'],
        menuColorSetting: { adaptableColorSchemes: ['light'], lightModeColor: { iconColor: '#111111' } },
      };
    },
    login(options) {
      const redirectUri = options?.redirectUri ?? location.href;
      const query = new URLSearchParams({ liffId: liff.id ?? '', redirect_uri: redirectUri });
      location.href = `${simOrigin}/liff/login?${query}`;
    },
    logout() {
      sessionStorage.removeItem(STORAGE_KEY);
    },
    closeWindow() {
      if (!toParent({ type: 'closeWindow' })) window.close();
    },
    openWindow({ url, external }) {
      if (!toParent({ type: 'openWindow', url, external: Boolean(external) })) {
        if (external) window.open(url, '_blank');
        else location.href = url;
      }
    },
    sendMessages: (messages) =>
      callSimulator('/liff/send-messages', { method: 'POST', body: JSON.stringify({ messages }) }).then(
        () => undefined,
      ),
    shareTargetPicker: () =>
      Promise.reject(new LiffError('FORBIDDEN', 'shareTargetPicker is not available in the LINE simulator')),
    scanCodeV2: () =>
      Promise.reject(new LiffError('FORBIDDEN', 'scanCodeV2 is not available in the LINE simulator')),
    permanentLink: {
      createUrlBy: (url) => Promise.resolve(permanentLink(url)),
      createUrl: () => permanentLink(location.href),
    },
    use: () => liff,
  };

  window.liff = liff;
})();
