// A fake of Returning.AI's signin API on loopback, for the apps that run the real backend helper
// (returning-ai-widget/server): `POST {baseUrl}/widget/{communityId}/signin` with the headers
// `returningai-api-key` and `email` answers `{ "token": "…" }`; anything else is refused as the real API would.
// Its tokens are JWTs that expire in 5 minutes, as the real ones expire: the helper's cache keeps such a token for
// its user, so a test can tell whether `forgetToken` dropped it (the next sign-in then reaches the fake again).
import { createServer } from 'node:http';

export const API_KEY = 'test-api-key';
export const COMMUNITY_ID = 'community-1';

const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An unsigned JWT with `claims`: the helper reads only `exp`. */
const fakeJwt = (claims) => `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.fake-signature`;

/** Starts the fake. `calls` lists each signin it answered: the email and the token it issued. */
export async function startFakeUpstream() {
  const calls = [];
  const server = createServer((request, response) => {
    const answer = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== `/widget/${COMMUNITY_ID}/signin`) return answer(404, { error: 'not found' });
    if (request.headers['returningai-api-key'] !== API_KEY) return answer(401, { error: 'bad api key' });
    const email = request.headers.email;
    if (!email) return answer(400, { error: 'no email' });
    const token = fakeJwt({ sub: email, n: calls.length + 1, exp: Math.floor(Date.now() / 1000) + 300 });
    calls.push({ email, token });
    answer(200, { token });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    // http: on loopback, which the backend helper accepts for development.
    baseUrl: `http://127.0.0.1:${server.address().port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
