// A real OpenID Connect provider for the tests: panva's certified `oidc-provider`, with its development
// login and consent pages (any login name signs in as the account of that name).
//
// Read from the environment: OIDC_PROVIDER_MODULE (the package's lib/index.js), OIDC_PORT, OIDC_CLIENTS
// (a JSON list of client metadata) and OIDC_ACCOUNTS (a JSON object: login name -> claims, and "amr", the
// methods the sign-in counts as). Prints "listening <issuer>" once it accepts connections.
import { pathToFileURL } from 'node:url';

const { default: Provider } = await import(pathToFileURL(process.env.OIDC_PROVIDER_MODULE).href);
const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS);

const provider = new Provider(issuer, {
  clients: JSON.parse(process.env.OIDC_CLIENTS),
  claims: {
    openid: ['sub', 'amr', 'acr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name', 'locale', 'zoneinfo', 'department'],
  },
  // PKCE on every authorization request, whatever the client: a relying party without it fails here.
  pkce: { methods: ['S256'], required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { const { amr, ...rest } = claims; return { sub: id, ...rest }; } };
  },
});
provider.proxy = false;

// The development login page records no authentication methods; an account says which it stands for.
const finished = provider.interactionFinished.bind(provider);
provider.interactionFinished = async (req, res, result, options) => {
  if (result.login && accounts[result.login.accountId]?.amr) {
    result.login.amr = accounts[result.login.accountId].amr;
  }
  return finished(req, res, result, options);
};

provider.listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
