// A real OpenID Connect provider for the tests: panva's certified `oidc-provider` on 127.0.0.1.
//
//   node tests/oidc/provider.mjs            (configuration from the environment)
//     OIDC_TEST_ACCOUNTS   JSON file: {"<username>": {"password", "email", "name", "given_name",
//                          "family_name", "groups": [...]}} — read on every lookup, so a test can
//                          change a user's groups between two sign-ins
//     OIDC_TEST_CLIENT     JSON: {"client_id", "client_secret", "redirect_uris": [...],
//                          "post_logout_redirect_uris": [...]}
//     OIDC_TEST_EVENTS     file that gets one JSON line per event (login, end_session, errors)
//
// It listens on a free port and prints one line, {"ready": true, "issuer": "http://127.0.0.1:<port>"},
// when it takes requests. The login page is a small HTML form (username, password); consent is
// given automatically (a municipality's first-party application). Nothing is fetched from the
// network: no fonts, no scripts.
import { appendFileSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import Provider from "oidc-provider";

const accountsFile = process.env.OIDC_TEST_ACCOUNTS;
const eventsFile = process.env.OIDC_TEST_EVENTS;
const client = JSON.parse(process.env.OIDC_TEST_CLIENT);

function event(kind, data = {}) {
  if (eventsFile) appendFileSync(eventsFile, JSON.stringify({ event: kind, at: Date.now(), ...data }) + "\n");
}

function accounts() {
  return JSON.parse(readFileSync(accountsFile, "utf8"));
}

function page(title, body) {
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function loginForm(uid, error = "") {
  return page("Exempelstads inloggning", `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
    <form method="post" action="/interaction/${uid}/login">
      <label for="username">Användarnamn</label><input id="username" name="username" autocomplete="username">
      <label for="password">Lösenord</label><input id="password" name="password" type="password">
      <button type="submit">Logga in hos IdP</button>
    </form>`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "test-key", alg: "RS256", use: "sig" };

const server = createServer();
server.listen(0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      ...client,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "given_name", "family_name", "preferred_username"],
      groups: ["groups"],
    },
    async findAccount(ctx, id) {
      const account = accounts()[id];
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          const now = accounts()[id] || account;
          return {
            sub: id, email: now.email, email_verified: true, name: now.name, given_name: now.given_name,
            family_name: now.family_name, preferred_username: id, groups: now.groups || [],
          };
        },
      };
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page("Logga ut", `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logga ut</button>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page("Utloggad", "<p>Du är utloggad.</p>");
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = page("Fel", `<pre>${escapeHtml(JSON.stringify(out))}</pre>`);
    },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, IdToken: 600, AccessToken: 600, AuthorizationCode: 60 },
  });
  provider.on("end_session.success", (ctx) => event("end_session", { client: ctx.oidc.client?.clientId }));
  provider.on("grant.success", (ctx) => event("token", { client: ctx.oidc.client?.clientId }));
  provider.on("server_error", (ctx, err) => event("server_error", { message: String(err) }));
  provider.on("authorization.error", (ctx, err) => event("authorization_error", { message: String(err) }));
  provider.on("grant.error", (ctx, err) => event("grant_error", { message: String(err) }));
  provider.on("end_session.error", (ctx, err) => event("end_session_error", { message: String(err) }));

  const callback = provider.callback();
  server.on("request", async (req, res) => {
    const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?/);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        if (req.method === "POST" && match[2]) {
          const form = await readForm(req);
          const username = form.get("username") || "";
          const account = accounts()[username];
          if (!account || account.password !== form.get("password")) {
            res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
            return res.end(loginForm(details.uid, "Fel användarnamn eller lösenord."));
          }
          event("login", { username });
          return provider.interactionFinished(req, res, { login: { accountId: username } },
            { mergeWithLastSubmission: false });
        }
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end(loginForm(details.uid));
      }
      // consent: granted at once for the municipality's own application
      const { prompt: { details: missing }, params, session } = details;
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
        grant.addResourceScope(indicator, scopes.join(" "));
      }
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } },
        { mergeWithLastSubmission: true });
    } catch (err) {
      event("interaction_error", { message: String(err) });
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
      return res.end(String(err));
    }
  });
  process.stdout.write(JSON.stringify({ ready: true, issuer }) + "\n");
});

for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
