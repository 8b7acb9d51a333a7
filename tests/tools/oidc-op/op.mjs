// An independent OpenID Provider for varco's OpenID Connect tests: npm `oidc-provider` (panva,
// OpenID Certified) from web/node_modules, on 127.0.0.1 over plain http, with one test user.
//
//   node op.mjs --client-id ID --redirect-uri URL [options]
//
//   --port N                          0 (the default) for any free port
//   --mode spid|plain                 spid (the default): the SPID/CIE profile (signed request
//                                     objects, private_key_jwt, UserInfo as a JWS in a JWE);
//                                     plain: an ordinary OP (client_secret_basic or
//                                     private_key_jwt, plain JSON UserInfo)
//   --client-id ID                    the one registered client
//   --redirect-uri URL                repeatable
//   --post-logout-redirect-uri URL    repeatable
//   --backchannel-logout-uri URL      where the logout_token is posted when the OP session ends
//   --client-jwks FILE                the client's public keys: `use: sig` (request objects,
//                                     private_key_jwt) and `use: enc` (UserInfo encryption)
//   --client-secret S                 plain mode: client_secret_basic
//   --acr VALUE                       the acr put in the ID Token whatever was asked
//   --fiscal-number, --given-name, --family-name, --email   the test user
//   --federation                      spid mode: also a trust anchor (/ta) and an intermediate
//                                     (/intermediate) of an OpenID Federation on the same port
//   --rp-entity-id URL                federation: the relying party (defaults to --client-id)
//   --rp-federation-jwks FILE         federation: its public federation keys
//
// When listening it prints one JSON line to stdout ({"ready":true,"port",...}); everything else
// goes to stderr. The login page at /interaction/UID is a form with one button (no password)
// that completes login and consent; RP-initiated logout needs no click; POST /test/rotate-keys
// makes a new signing key the current one and keeps the old one in the JWKS.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// oidc-provider logs notices with console.info: stdout carries only the ready line.
console.log = console.info = console.debug = console.error;

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.join(here, '..', '..', '..', 'web');
const require = createRequire(path.join(web, 'package.json'));
const load = (name) => import(pathToFileURL(require.resolve(name)));
const jose = await load('jose');
const { default: Provider, interactionPolicy } = await load('oidc-provider');
// The provider's private state (its keystore and published JWKS), read the way the provider
// itself does, for /test/rotate-keys: oidc-provider has no API to add a key at run time.
const { default: internals } = await load('oidc-provider/lib/helpers/weak_cache.js');

const SPID_ACR = ['https://www.spid.gov.it/SpidL1', 'https://www.spid.gov.it/SpidL2',
  'https://www.spid.gov.it/SpidL3'];
const FISCAL_NUMBER = 'https://attributes.eid.gov.it/fiscal_number';
const now = () => Math.floor(Date.now() / 1000);

function usage(message) {
  process.stderr.write(`op.mjs: ${message}\n`);
  process.exit(2);
}

// `--name value` pairs; the repeatable ones collect into arrays, --federation takes no value.
function parseArgs(argv) {
  const repeatable = new Set(['redirect-uri', 'post-logout-redirect-uri']);
  const single = new Set(['port', 'mode', 'client-id', 'backchannel-logout-uri', 'client-jwks',
    'client-secret', 'acr', 'fiscal-number', 'given-name', 'family-name', 'email', 'rp-entity-id',
    'rp-federation-jwks']);
  const opts = { 'redirect-uri': [], 'post-logout-redirect-uri': [], federation: false };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (name === 'federation') {
      opts.federation = true;
    } else if (!argv[i].startsWith('--') || (!repeatable.has(name) && !single.has(name))) {
      usage(`unknown option ${argv[i]}`);
    } else if (i + 1 >= argv.length) {
      usage(`${argv[i]} needs a value`);
    } else if (repeatable.has(name)) {
      opts[name].push(argv[++i]);
    } else {
      opts[name] = argv[++i];
    }
  }
  opts.port = Number(opts.port ?? 0);
  opts.mode ??= 'spid';
  opts['client-id'] ??= opts['rp-entity-id'];
  opts['rp-entity-id'] ??= opts['client-id'];
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('bad --port');
  if (!['spid', 'plain'].includes(opts.mode)) usage('--mode is spid or plain');
  if (!opts['client-id']) usage('--client-id is required');
  if (!opts['redirect-uri'].length) usage('at least one --redirect-uri is required');
  if (opts.mode === 'spid' && !opts['client-jwks']) usage('spid mode needs --client-jwks');
  if (opts.mode === 'plain' && !opts['client-jwks'] && !opts['client-secret']) {
    usage('plain mode needs --client-secret or --client-jwks');
  }
  if (opts.federation && opts.mode !== 'spid') usage('--federation is for spid mode');
  if (opts.acr !== undefined && !opts.acr) usage('--acr needs a value');
  return opts;
}

function readJwks(file) {
  let jwks;
  try {
    jwks = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    usage(`${file}: ${err.message}`);
  }
  if (!Array.isArray(jwks?.keys) || !jwks.keys.length) usage(`${file}: no "keys"`);
  for (const key of jwks.keys) {
    if (key.d !== undefined) usage(`${file}: private key material; give the public keys only`);
  }
  return jwks;
}

// A private JWK for the provider's keystore and the public one, kid = RFC 7638 thumbprint.
async function signingKey(type, alg) {
  const { privateKey } = crypto.generateKeyPairSync(type,
    type === 'rsa' ? { modulusLength: 2048 } : { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = await jose.calculateJwkThumbprint(jwk);
  const { d, p, q, dp, dq, qi, ...pub } = jwk;
  return { privateKey, jwk: { ...jwk, kid, alg, use: 'sig' }, public: { ...pub, kid, alg, use: 'sig' } };
}

// The single test user. `sub` is opaque but stable: a hash of the fiscal number.
function testUser(opts) {
  const fiscalNumber = opts['fiscal-number'] ?? 'TINIT-RSSMRA80A01H501U';
  return {
    sub: crypto.createHash('sha256').update(`varco-op:${fiscalNumber}`).digest('base64url'),
    claims: {
      [FISCAL_NUMBER]: fiscalNumber,
      given_name: opts['given-name'] ?? 'Mario',
      family_name: opts['family-name'] ?? 'Rossi',
      email: opts.email ?? 'mario.rossi@example.it',
    },
  };
}

function clientMetadata(opts, spid) {
  const client = {
    client_id: opts['client-id'],
    redirect_uris: opts['redirect-uri'],
    post_logout_redirect_uris: opts['post-logout-redirect-uri'],
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token'],
    id_token_signed_response_alg: 'RS256',
  };
  if (opts['client-secret'] && !spid) {
    Object.assign(client, { client_secret: opts['client-secret'],
      token_endpoint_auth_method: 'client_secret_basic' });
  } else {
    Object.assign(client, { jwks: readJwks(opts['client-jwks']),
      token_endpoint_auth_method: 'private_key_jwt' });
  }
  if (opts['backchannel-logout-uri']) {
    Object.assign(client, { backchannel_logout_uri: opts['backchannel-logout-uri'],
      backchannel_logout_session_required: true });
  }
  if (spid) {
    Object.assign(client, {
      require_signed_request_object: true,
      userinfo_signed_response_alg: 'RS256',
      userinfo_encrypted_response_alg: 'RSA-OAEP-256',
      userinfo_encrypted_response_enc: 'A256CBC-HS512',
    });
  }
  return client;
}

// The RP decides whether an acr is enough: the provider never asks for a new login because an
// `essential` acr in the claims parameter was not reached (with --acr the login page would come
// back for ever).
function loginPolicy() {
  const policy = interactionPolicy.base();
  policy.get('login').checks.remove('essential_acrs');
  policy.get('login').checks.remove('essential_acr');
  return policy;
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const escapeHtml = (text) => String(text).replace(/[&<>"']/g,
  (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function providerConfig(opts, user, jwks) {
  const spid = opts.mode === 'spid';
  const userClaims = Object.keys(user.claims);
  return {
    clients: [clientMetadata(opts, spid)],
    jwks,
    // Signed cookies with names of their own: on 127.0.0.1 every port shares the cookie jar, so
    // the RP under test sees these and must not mistake them for its own.
    cookies: {
      keys: [crypto.randomBytes(32).toString('base64url')],
      names: { session: 'op_session', interaction: 'op_interaction', resume: 'op_interaction_resume' },
    },
    // Plain mode asks for the user's data with scopes, as Keycloak does; SPID/CIE only with the
    // claims parameter.
    claims: {
      openid: ['sub'],
      acr: null, auth_time: null, iss: null, sid: null,
      ...Object.fromEntries(userClaims.map((claim) => [claim, null])),
      ...(spid ? {} : { profile: ['given_name', 'family_name'], email: ['email'] }),
    },
    scopes: spid ? ['openid', 'offline_access'] : ['openid', 'offline_access', 'profile', 'email'],
    acrValues: SPID_ACR,
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: spid ? ['private_key_jwt'] : ['client_secret_basic', 'private_key_jwt'],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256'],
      userinfoSigningAlgValues: ['RS256'],
      requestObjectSigningAlgValues: spid ? ['RS256', 'ES256'] : ['RS256', 'ES256', 'PS256', 'HS256'],
      clientAuthSigningAlgValues: ['RS256', 'ES256', 'PS256'],
      userinfoEncryptionAlgValues: ['RSA-OAEP-256', 'RSA-OAEP'],
      userinfoEncryptionEncValues: ['A256CBC-HS512', 'A128CBC-HS256', 'A256GCM', 'A128GCM'],
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      requestObjects: { enabled: true, requireSignedRequestObject: spid },
      encryption: { enabled: spid },
      jwtUserinfo: { enabled: spid },
      revocation: { enabled: true },
      backchannelLogout: { enabled: true },
      // The provider's own pages load Google Fonts, which a test browser cannot (and must not)
      // reach: these pages, and renderError below, have no outside resource.
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page('Uscita', `<h1>OP di prova</h1>\n${form}\n`
            + '<button type="submit" form="op.logoutForm" name="logout" value="yes">Esci</button>');
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page('Uscita', '<h1>OP di prova</h1>\n<p>Sei uscito.</p>');
        },
      },
    },
    interactions: { policy: loginPolicy(), url: async (ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (ctx, sub) => (sub === user.sub
      ? { accountId: sub, claims: async () => ({ sub, ...user.claims }) } : undefined),
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Errore', `<h1>OP di prova</h1>\n${Object.entries(out)
        .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</p>`).join('\n')}`);
    },
    // The back-channel logout goes to the RP on loopback, which the provider's SSRF guard (a
    // dispatcher refusing special-use addresses) would cut: plain fetch instead.
    fetch: (url, { dispatcher, ...options }) => globalThis.fetch(url, options),
    ttl: {
      AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 86400,
      Interaction: 600, Session: 3600, Grant: 3600,
    },
  };
}

// The acr of this login: --acr, else the first of the request's acr_values the OP knows, else
// the first of the claims parameter's id_token acr values, else (SPID mode) the lowest level.
function chooseAcr(opts, params) {
  if (opts.acr) return opts.acr;
  const asked = (params.acr_values ?? '').split(' ');
  try {
    const acr = JSON.parse(params.claims ?? '{}')?.id_token?.acr;
    asked.push(...(acr?.values ?? []), ...(acr?.value ? [acr.value] : []));
  } catch {
    // the provider has already refused a claims parameter that is not JSON
  }
  return asked.find((value) => SPID_ACR.includes(value)) ?? (opts.mode === 'spid' ? SPID_ACR[0] : undefined);
}

// Every scope the request names and every claim of the user, so no consent is left pending.
async function grantAll(provider, details, user) {
  const grant = (details.grantId && await provider.Grant.find(details.grantId))
    ?? new provider.Grant({ accountId: user.sub, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope ?? 'openid');
  grant.addOIDCClaims([...Object.keys(user.claims), ...(details.prompt.details.missingOIDCClaims ?? [])]);
  for (const [indicator, scopes] of Object.entries(details.prompt.details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}
const sendJson = (res, status, body) => send(res, status, 'application/json', JSON.stringify(body));

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

// GET shows the login page; a consent-only interaction (the user already logged in) is granted
// at once. POST (the form's button) completes login and consent together.
async function interaction(ctx, req, res, uid) {
  const { provider, opts, user } = ctx;
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (err) {
    send(res, 400, 'text/html; charset=utf-8', page('Errore', `<h1>OP di prova</h1>\n<p>${escapeHtml(err.message)}</p>`));
    return;
  }
  if (details.uid !== uid) {
    send(res, 400, 'text/html; charset=utf-8', page('Errore', '<h1>OP di prova</h1>\n<p>interaction mismatch</p>'));
    return;
  }
  if (req.method === 'POST') await readBody(req);
  if (req.method === 'GET' && details.prompt.name === 'login') {
    send(res, 200, 'text/html; charset=utf-8', page('OP di prova', `<h1>OP di prova</h1>
<p>Accesso per ${escapeHtml(user.claims.given_name)} ${escapeHtml(user.claims.family_name)} a ${escapeHtml(details.params.client_id)}.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}">
<button type="submit" id="login">Accedi</button>
</form>`), { 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" });
    return;
  }
  const result = { consent: { grantId: await grantAll(provider, details, user) } };
  if (details.prompt.name === 'login') {
    const acr = chooseAcr(opts, details.params);
    result.login = { accountId: user.sub, ...(acr ? { acr } : {}) };
    process.stderr.write(`op: login ${user.sub} acr=${acr ?? '-'} client=${details.params.client_id}\n`);
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

// Cookies as the browser would keep them across two responses (name -> value; an emptied one
// is dropped).
function updateJar(jar, setCookies) {
  for (const line of setCookies) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    if (value) jar.set(name, value); else jar.delete(name);
  }
}
const cookieHeader = (jar) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

// Marks the OP's requests to itself, which go straight to the provider.
const INTERNAL = 'x-op-internal';

// RP-initiated logout without a click: the end_session request goes to the provider as the
// browser sent it, the confirmation form it answers with is posted on the browser's behalf
// (logout=yes: the whole OP session ends, back-channel logouts included), and the browser gets
// the provider's final redirect with every cookie both responses set. A POSTed form is passed
// on as a GET: oidc-provider takes POST only with SameSite=None cookies, which need https.
async function autoLogout(ctx, req, res, url) {
  const jar = new Map();
  updateJar(jar, (req.headers.cookie ?? '').split(/;\s*/).filter(Boolean));
  const query = req.method === 'POST' ? new URLSearchParams((await readBody(req)).toString()) : url.searchParams;
  const first = await fetch(`${ctx.issuer}${url.pathname}?${query}`, {
    redirect: 'manual',
    headers: { cookie: cookieHeader(jar), accept: req.headers.accept ?? '*/*', [INTERNAL]: '1' },
  });
  const firstCookies = first.headers.getSetCookie();
  const html = await first.text();
  const xsrf = /name="xsrf" value="([^"]*)"/.exec(html)?.[1];
  if (first.status !== 200 || !xsrf) {
    relay(res, first, html, firstCookies);
    return;
  }
  updateJar(jar, firstCookies);
  const second = await fetch(`${ctx.issuer}/session/end/confirm`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: cookieHeader(jar), accept: req.headers.accept ?? '*/*',
      'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ xsrf, logout: 'yes' }),
  });
  relay(res, second, await second.text(), [...firstCookies, ...second.headers.getSetCookie()]);
}

function relay(res, response, body, cookies) {
  const headers = { 'cache-control': 'no-store', 'set-cookie': cookies };
  for (const name of ['content-type', 'location']) {
    if (response.headers.has(name)) headers[name] = response.headers.get(name);
  }
  res.writeHead(response.status, headers);
  res.end(body);
}

// A new RS256 key first in the keystore (the provider signs with the first that fits) and in
// the published JWKS, the old ones kept after it so what they signed still verifies.
async function rotateKeys(ctx, req, res) {
  await readBody(req);
  const key = await signingKey('rsa', 'RS256');
  const state = internals(ctx.provider);
  const old = [...state.keystore];
  state.keystore.clear();
  for (const jwk of [key.jwk, ...old]) state.keystore.add(jwk);
  state.jwks = { keys: [key.public, ...state.jwks.keys] };
  process.stderr.write(`op: signing key is now ${key.public.kid}\n`);
  sendJson(res, 200, { kid: key.public.kid, jwks: state.jwks });
}

// --- OpenID Federation: trust anchor > intermediate > this OP (and the RP), with npm jose ---

async function federationEntity(id) {
  const { privateKey, public: jwk } = await signingKey('ec', 'ES256');
  return { id, privateKey, jwks: { keys: [jwk] } };
}

function entityStatement(signer, claims) {
  const t = now();
  return new jose.SignJWT({ iat: t, exp: t + 86400, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: signer.jwks.keys[0].kid, typ: 'entity-statement+jwt' })
    .sign(signer.privateKey);
}

async function makeFederation(issuer, opts) {
  const fed = {
    ta: await federationEntity(`${issuer}/ta`),
    intermediate: await federationEntity(`${issuer}/intermediate`),
    op: await federationEntity(issuer),
  };
  fed.rp = opts['rp-federation-jwks']
    ? { id: opts['rp-entity-id'], jwks: readJwks(opts['rp-federation-jwks']) } : undefined;
  return fed;
}

// The OP's metadata as the provider publishes it, with its keys inline as SPID/CIE do.
async function opMetadata(issuer) {
  const get = async (url) => (await fetch(url, { headers: { [INTERNAL]: '1' } })).json();
  const discovery = await get(`${issuer}/.well-known/openid-configuration`);
  return { ...discovery, jwks: await get(discovery.jwks_uri) };
}

async function entityConfiguration(ctx, name) {
  const { fed } = ctx;
  const entity = fed[name];
  const claims = { iss: entity.id, sub: entity.id, jwks: entity.jwks };
  if (name === 'op') {
    claims.authority_hints = [fed.intermediate.id];
    claims.metadata = { openid_provider: await opMetadata(ctx.issuer),
      federation_entity: { organization_name: 'OP di prova' } };
  } else {
    if (name === 'intermediate') claims.authority_hints = [fed.ta.id];
    claims.metadata = { federation_entity: { federation_fetch_endpoint: `${entity.id}/fetch`,
      organization_name: name === 'ta' ? 'Trust Anchor di prova' : 'Intermediario di prova' } };
  }
  return entityStatement(entity, claims);
}

// What a superior says about each of its subordinates.
function subordinates(fed) {
  const about = {
    ta: { [fed.intermediate.id]: { jwks: fed.intermediate.jwks } },
    intermediate: { [fed.op.id]: { jwks: fed.op.jwks, metadata_policy: { openid_provider: {
      id_token_signing_alg_values_supported: { subset_of: ['RS256', 'ES256'] },
      token_endpoint_auth_methods_supported: { subset_of: ['private_key_jwt'] },
    } } } },
  };
  if (fed.rp) about.intermediate[fed.rp.id] = { jwks: fed.rp.jwks };
  return about;
}

async function federation(ctx, req, res, url) {
  const statementType = 'application/entity-statement+jwt';
  const configs = { '/.well-known/openid-federation': 'op', '/ta/.well-known/openid-federation': 'ta',
    '/intermediate/.well-known/openid-federation': 'intermediate' };
  if (configs[url.pathname]) {
    send(res, 200, statementType, await entityConfiguration(ctx, configs[url.pathname]));
    return;
  }
  const superior = url.pathname === '/ta/fetch' ? 'ta' : 'intermediate';
  const sub = url.searchParams.get('sub');
  if (!sub) {
    sendJson(res, 400, { error: 'invalid_request', error_description: 'sub is required' });
    return;
  }
  const statement = subordinates(ctx.fed)[superior][sub];
  if (!statement) {
    sendJson(res, 404, { error: 'not_found', error_description: `${sub} is not a subordinate` });
    return;
  }
  send(res, 200, statementType, await entityStatement(ctx.fed[superior],
    { iss: ctx.fed[superior].id, sub, ...statement }));
}

const FEDERATION_PATHS = new Set(['/.well-known/openid-federation', '/ta/.well-known/openid-federation',
  '/intermediate/.well-known/openid-federation', '/ta/fetch', '/intermediate/fetch']);

// The routes of this file in front of the provider's own.
async function dispatch(ctx, req, res) {
  const url = new URL(req.url, ctx.issuer);
  const interactionUid = /^\/interaction\/([^/]+)$/.exec(url.pathname)?.[1];
  if (ctx.fed && FEDERATION_PATHS.has(url.pathname) && req.method === 'GET') {
    await federation(ctx, req, res, url);
  } else if (interactionUid && (req.method === 'GET' || req.method === 'POST')) {
    await interaction(ctx, req, res, interactionUid);
  } else if (url.pathname === '/test/rotate-keys' && req.method === 'POST') {
    await rotateKeys(ctx, req, res);
  } else if (url.pathname === '/session/end' && ['GET', 'POST'].includes(req.method)
             && !req.headers[INTERNAL]) {
    await autoLogout(ctx, req, res, url);
  } else {
    ctx.handle(req, res);
  }
}

function logEvents(provider) {
  const log = (event) => (ctx, err) => process.stderr.write(`op: ${event}: ${err?.error ?? ''} `
    + `${err?.error_description ?? err?.message ?? ''} ${err?.error_detail ?? ''}\n`);
  for (const event of ['authorization.error', 'grant.error', 'userinfo.error', 'revocation.error',
    'end_session.error', 'end_session_confirm.error', 'jwks.error', 'discovery.error', 'server_error']) {
    provider.on(event, log(event));
  }
  provider.on('backchannel.error', (ctx, err, client) => process.stderr.write(
    `op: back-channel logout to ${client.backchannelLogoutUri} failed: ${err.message}\n`));
  provider.on('backchannel.success', (ctx, client) => process.stderr.write(
    `op: back-channel logout posted to ${client.backchannelLogoutUri}\n`));
  provider.on('end_session.success', () => process.stderr.write('op: session ended\n'));
  provider.on('grant.success', () => process.stderr.write('op: tokens issued\n'));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const user = testUser(opts);
  const opKey = await signingKey('rsa', 'RS256');
  const ctx = { opts, user };
  const server = http.createServer((req, res) => {
    dispatch(ctx, req, res).catch((err) => {
      process.stderr.write(`op: ${req.method} ${req.url}: ${err.stack}\n`);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: err.message });
      else res.destroy();
    });
  });
  server.on('error', (err) => {
    process.stderr.write(`op: ${err.message}\n`);
    process.exit(1);
  });
  // The issuer holds the port, so the provider is made once the socket is bound.
  await new Promise((resolve) => server.listen(opts.port, '127.0.0.1', resolve));
  const { port } = server.address();
  ctx.issuer = `http://127.0.0.1:${port}`;
  ctx.provider = new Provider(ctx.issuer, providerConfig(opts, user, { keys: [opKey.jwk] }));
  ctx.handle = ctx.provider.callback();
  logEvents(ctx.provider);
  const ready = { ready: true, port, issuer: ctx.issuer, sub: user.sub };
  if (opts.federation) {
    ctx.fed = await makeFederation(ctx.issuer, opts);
    ready.trust_anchor = { entity_id: ctx.fed.ta.id, jwks: ctx.fed.ta.jwks };
    ready.intermediate = { entity_id: ctx.fed.intermediate.id, jwks: ctx.fed.intermediate.jwks };
  }
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
await main();
